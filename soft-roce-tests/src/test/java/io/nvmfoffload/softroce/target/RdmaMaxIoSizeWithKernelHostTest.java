package io.nvmfoffload.softroce.target;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nvmfoffload.nvme.store.RamNamespaceStore;
import io.nvmfoffload.offload.DeviceProfile;
import io.nvmfoffload.offload.emulated.EmulatedNvmfOffloadProvider;
import io.nvmfoffload.softroce.bed.InBed;
import io.nvmfoffload.softroce.bed.Rxe;
import io.nvmfoffload.softroce.fio.Fio;
import io.nvmfoffload.softroce.fio.FioResult;
import io.nvmfoffload.softroce.nvmet.KernelNvmeHost;
import io.nvmfoffload.softroce.process.CommandResult;
import io.nvmfoffload.softroce.process.Commands;
import io.nvmfoffload.nvmf.NamespaceCounters;
import io.nvmfoffload.nvmf.Port;
import io.nvmfoffload.nvmf.SubsystemOffload;
import io.nvmfoffload.nvmf.Target;
import io.nvmfoffload.nvmf.TransportType;
import io.nvmfoffload.nvmf.server.TargetServer;
import io.nvmfoffload.nvmf.transport.buffer.DataBufferUse;
import io.nvmfoffload.nvmf.transport.rdma.RdmaTransport;
import io.nvmfoffload.verbs.nvmf.OffloadNamespaceCounters;
import io.nvmfoffload.verbs.nvmf.OffloadOp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The port's max_io_size judged by the kernel's nvme-rdma host (issue 20, MDTS): with the default
 * 1 MiB the host reads MDTS 8 as from nvmet-rdma, and user-space I/O of 256 KiB and 1 MiB through
 * {@code nvme write}/{@code nvme read} (512-byte blocks, as in the issue) and fio with 1 MiB blocks
 * verify; every data buffer is back in the listener's pool afterwards and the pool registered no
 * more than its size. An offloaded subsystem on the same port reports the offload's max_io_sz, so
 * the host never sends the engine a larger command.
 */
@InBed
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class RdmaMaxIoSizeWithKernelHostTest {
    private static final String NQN = "nqn.2026-11.io.nvmf-offload:max-io";
    private static final String OFFLOADED = "nqn.2026-11.io.nvmf-offload:max-io-offloaded";
    private static final int SERVICE = 4480;
    private static final long OFFLOAD_MAX_IO = 128L << 10;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TargetServer server;

    @BeforeAll
    static void start() {
        KernelNvmeHost.loadModules();
        Target target = new Target();
        target.addSubsystem(NQN, "MAXIO00001", "nvmf-offload max io", true);
        target.addNamespace(NQN, 1, RamNamespaceStore.create("max-io-ns1", 512, (96L << 20) / 512));
        target.addSubsystem(OFFLOADED, "MAXIO00002", "nvmf-offload max io offloaded", true);
        target.addNamespace(OFFLOADED, 1, RamNamespaceStore.create("max-io-ns2", 4096, (32L << 20) / 4096));
        target.setOffload(OFFLOADED, new SubsystemOffload(EnumSet.allOf(OffloadOp.class), 64, 16L << 20, OFFLOAD_MAX_IO, 1_000_000));
        target.addPort(Port.of(1, TransportType.RDMA, Rxe.address(), SERVICE));
        target.link(1, NQN);
        target.link(1, OFFLOADED);
        server = new TargetServer(target).offloadProvider(new EmulatedNvmfOffloadProvider(DeviceProfile.connectX5Class())).start();
    }

    @AfterAll
    static void stop() {
        for (String nqn : List.of(NQN, OFFLOADED)) {
            Commands.run(Duration.ofSeconds(60), "nvme", "disconnect", "-n", nqn);
        }
        if (server != null) {
            server.close();
        }
    }

    private static RdmaTransport rdma() {
        return server.rdmaListeners().getFirst();
    }

    private static int mdts(KernelNvmeHost.Connection c) throws IOException {
        String idCtrl = Commands.run(Duration.ofSeconds(60), "nvme", "id-ctrl", c.controllers().getFirst().toString(), "-o", "json")
                .orThrow().stdout();
        return JSON.readTree(idCtrl).path("mdts").asInt(-1);
    }

    /** {@code nvme write} then {@code nvme read} of {@code bytes} at block 0 of a 512-byte-block namespace: the bytes read back. */
    private static byte[] writeAndReadBack(String device, byte[] data, Path dir) throws IOException {
        Path in = dir.resolve("in-" + data.length);
        Path out = dir.resolve("out-" + data.length);
        Files.write(in, data);
        String blocks = Integer.toString(data.length / 512 - 1);  // NLB: 0's based
        String size = Integer.toString(data.length);
        CommandResult w = Commands.run(Duration.ofSeconds(60), "nvme", "write", device, "--start-block=0", "--block-count=" + blocks,
                "--data-size=" + size, "--data=" + in);
        assertEquals(0, w.exitCode(), () -> data.length + "-byte nvme write: " + w.describe());
        CommandResult r = Commands.run(Duration.ofSeconds(60), "nvme", "read", device, "--start-block=0", "--block-count=" + blocks,
                "--data-size=" + size, "--data=" + out);
        assertEquals(0, r.exitCode(), () -> data.length + "-byte nvme read: " + r.describe());
        return Files.readAllBytes(out);
    }

    @Test
    void theKernelHostSeesMdts8AndMovesUpTo1MiBPerCommand() throws IOException {
        Path dir = Files.createTempDirectory("max-io");
        try (KernelNvmeHost.Connection c = KernelNvmeHost.connect("rdma", NQN, Rxe.address(), SERVICE)) {
            assertEquals(8, mdts(c), "MDTS of the default max_io_size, 1 MiB, as nvmet-rdma");
            String device = c.blockDevices().getFirst().toString();
            String maxSectorsKb = Files.readString(Path.of("/sys/block", Path.of(device).getFileName().toString(), "queue/max_hw_sectors_kb"));
            System.out.println("max-io: the host's max_hw_sectors_kb " + maxSectorsKb.strip());
            SplittableRandom random = new SplittableRandom(20);
            for (int bytes : new int[] {256 << 10, 1 << 20}) {
                byte[] data = new byte[bytes];
                random.nextBytes(data);
                assertArrayEquals(data, writeAndReadBack(device, data, dir), bytes + " bytes read back as written");
            }
            FioResult fio = Fio.job("max-io-1m", c.blockDevices().getFirst()).verifiedRandomWrite("1M", "64M", 8).run();
            assertEquals(0, fio.error(), "fio 1 MiB randwrite + verify");
            assertEquals(64, fio.read().ios(), "every 1 MiB block read back and verified");
        }
        DataBufferUse use = rdma().dataBuffers();
        System.out.println("max-io: " + use);
        assertEquals(0, use.inUseBytes(), "every data buffer back in the pool");
        assertTrue(use.peakInUseBytes() >= 1 << 20, "1 MiB buffers were taken: " + use);
        assertTrue(use.allocatedBytes() <= use.capacityBytes(), "registered memory within the pool's size: " + use);
        assertEquals(server.target().limits().dataBufferPoolBytes(), use.capacityBytes(), "the pool is data_buffer_pool_size");
    }

    @Test
    void anOffloadedSubsystemReportsTheOffloadsMaxIoSizeAndTheEngineRunsItsIo() throws IOException {
        try (KernelNvmeHost.Connection c = KernelNvmeHost.connect("rdma", OFFLOADED, Rxe.address(), SERVICE)) {
            assertEquals(5, mdts(c), "MDTS of the offload's max_io_sz, 128 KiB, not the port's 1 MiB");
            FioResult fio = Fio.job("max-io-offload-128k", c.blockDevices().getFirst()).verifiedRandomWrite("128k", "16M", 8).run();
            assertEquals(0, fio.error(), "fio 128 KiB randwrite + verify through the engine");
            // the host splits anything larger itself: a 1 MiB fio block reaches the engine as 128 KiB commands
            FioResult split = Fio.job("max-io-offload-1m", c.blockDevices().getFirst()).verifiedRandomWrite("1M", "16M", 4).run();
            assertEquals(0, split.error(), "fio 1 MiB randwrite + verify, split by the host");
            // user-space passthrough cannot be split: the host itself refuses 256 KiB (Invalid argument)
            Path data = Files.createTempFile("max-io-offload", ".bin");
            Files.write(data, new byte[256 << 10]);
            CommandResult tooLarge = Commands.run(Duration.ofSeconds(60), "nvme", "write", c.blockDevices().getFirst().toString(),
                    "--start-block=0", "--block-count=63", "--data-size=262144", "--data=" + data);
            assertNotEquals(0, tooLarge.exitCode(), "the host refuses a command above MDTS: " + tooLarge.describe());
        }
        OffloadNamespaceCounters engine = server.offloads().counters(1, OFFLOADED, 1);
        NamespaceCounters software = server.target().subsystem(OFFLOADED).namespace(1).counters();
        System.out.println("max-io offloaded: engine " + engine + "; software reads " + software.readCommands.sum()
                + " writes " + software.writeCommands.sum());
        assertTrue(engine.writeCommands() >= 128 + 128, "the 128 KiB and the split 1 MiB writes ran in the engine: " + engine);
        assertEquals(0, software.readCommands.sum() + software.writeCommands.sum(),
                "no command was too large for the engine, so none fell back to software");
    }
}
