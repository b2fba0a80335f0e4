package io.nvmfoffload.softroce.target;

import io.nvmfoffload.softroce.bed.InBed;
import io.nvmfoffload.softroce.bed.Rxe;
import io.nvmfoffload.softroce.fio.Fio;
import io.nvmfoffload.softroce.fio.FioResult;
import io.nvmfoffload.softroce.nvmet.KernelNvmeHost;
import io.nvmfoffload.target.TransportType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Our NVMe/TCP target and the kernel's NVMe/TCP host, plus CRC32C header and data digests. */
@InBed
class TcpTargetWithKernelHostTest extends TargetWithKernelHostTestBase {
    @BeforeAll
    static void start() {
        startTarget(TransportType.TCP);
    }

    @Test
    @Order(3)
    void fioVerifyPassesWithHeaderAndDataDigests() {
        try (KernelNvmeHost.Connection c = KernelNvmeHost.connect("tcp", NQN, Rxe.address(), SERVICE,
                "--hdr-digest", "--data-digest")) {
            FioResult fio = Fio.job("tcp-digests", c.blockDevices().get(0)).verifiedRandomWrite("16k", "8M", 8).run();
            assertEquals(0, fio.error(), "fio verify error with CRC32C header and data digests");
            assertEquals(512, fio.read().ios(), "every written block read back and verified");
        }
    }

}
