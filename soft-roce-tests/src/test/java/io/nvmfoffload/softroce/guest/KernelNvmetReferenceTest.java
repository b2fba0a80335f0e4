package io.nvmfoffload.softroce.guest;

import io.nvmfoffload.softroce.bed.InBed;
import io.nvmfoffload.softroce.bed.Rxe;
import io.nvmfoffload.softroce.fio.Fio;
import io.nvmfoffload.softroce.fio.FioResult;
import io.nvmfoffload.softroce.nvmet.KernelNvmeHost;
import io.nvmfoffload.softroce.nvmet.KernelNvmetTarget;
import io.nvmfoffload.softroce.nvmet.RamDisk;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reference pair every later comparison uses: the kernel's nvmet on a RAM disk, reached by the
 * kernel's NVMe host over rdma and over tcp, checked with fio's verify.
 */
@InBed
class KernelNvmetReferenceTest {
    private static final String NQN = "nqn.2026-11.io.nvmf-offload:kernel-reference";

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"rdma", "tcp"})
    void kernelHostDiscoversConnectsAndVerifiesDataOnKernelTarget(String transport) {
        KernelNvmeHost.loadModules();
        Path subsystemDir = KernelNvmetTarget.CONFIGFS.resolve("subsystems").resolve(NQN);
        try (RamDisk ram = RamDisk.create(64L << 20);
             KernelNvmetTarget target = KernelNvmetTarget.subsystem(NQN)
                     .namespace(1, ram.device())
                     .port(1, transport, Rxe.address(), 4420)
                     .start()) {
            String log = KernelNvmeHost.discover(transport, Rxe.address(), 4420);
            assertTrue(log.contains(NQN) && log.contains("trtype:  " + transport),
                    "discovery over " + transport + " should list " + NQN + ":\n" + log);

            try (KernelNvmeHost.Connection connection = KernelNvmeHost.connect(transport, NQN, Rxe.address(), 4420)) {
                List<Path> devices = connection.blockDevices();
                assertEquals(1, devices.size(), "one namespace should appear: " + devices);
                FioResult fio = Fio.job("reference-verify", devices.get(0)).verifiedRandomWrite("4k", "16M", 16).run();
                System.out.printf("kernel nvmet over %s: fio randwrite+verify %d writes, %d verified reads, %.0f write IOPS%n",
                        transport, fio.write().ios(), fio.read().ios(), fio.write().iops());
                assertEquals(0, fio.error(), "fio verify over " + transport + " reported error " + fio.error());
                assertEquals(4096, fio.write().ios(), "16 MiB of 4 KiB writes");
                assertEquals(4096, fio.read().ios(), "every written block should be read back and verified");
            }
        }
        assertFalse(Files.exists(subsystemDir), "tear-down should remove " + subsystemDir);
    }
}
