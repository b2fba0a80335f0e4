package io.nvmfoffload.softroce.target;

import io.nvmfoffload.nvme.store.RamNamespaceStore;
import io.nvmfoffload.softroce.bed.InBed;
import io.nvmfoffload.softroce.bed.Rxe;
import io.nvmfoffload.softroce.fio.Fio;
import io.nvmfoffload.softroce.fio.FioResult;
import io.nvmfoffload.softroce.nvmet.KernelNvmeHost;
import io.nvmfoffload.softroce.process.CommandResult;
import io.nvmfoffload.softroce.process.Commands;
import io.nvmfoffload.nvmf.Port;
import io.nvmfoffload.nvmf.Target;
import io.nvmfoffload.nvmf.TransportType;
import io.nvmfoffload.nvmf.server.TargetServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our target, judged by the Linux kernel's NVMe host over one transport; the subclasses choose it.
 * One target per class, started before its tests and stopped after.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class TargetWithKernelHostTestBase {
    static final String NQN = "nqn.2026-11.io.nvmf-offload:judged";
    static final String RESTRICTED = "nqn.2026-11.io.nvmf-offload:restricted";
    /** A second subsystem for the host, whose I/O must go on while the first one is torn down. */
    static final String NEIGHBOUR = "nqn.2026-11.io.nvmf-offload:neighbour";
    static final int SERVICE = 4430;
    /** 320 MiB of 4 KiB blocks: room for fio's 256 MiB. */
    static final long NAMESPACE_BLOCKS = (320L << 20) / 4096;
    static TargetServer server;
    static String transport;
    /** nvme connect options of the file-system test: TCP runs it with header and data digests. */
    static String[] fileSystemConnectOptions = {};

    static void startTarget(TransportType type) {
        transport = type.id();
        KernelNvmeHost.loadModules();
        Target target = new Target();
        target.addSubsystem(NQN, "JUDGED0001", "nvmf-offload tcp judged", true);
        target.addNamespace(NQN, 1, RamNamespaceStore.create("judged-ns1", 4096, NAMESPACE_BLOCKS));
        target.addHost("nqn.2026-11.io.nvmf-offload:some-other-host");
        target.addSubsystem(RESTRICTED, "RESTRICT0001", "nvmf-offload restricted", false);
        target.allowHost(RESTRICTED, "nqn.2026-11.io.nvmf-offload:some-other-host");
        target.addSubsystem(NEIGHBOUR, "NEIGHBOUR001", "nvmf-offload neighbour", true);
        target.addNamespace(NEIGHBOUR, 1, RamNamespaceStore.create("neighbour-ns1", 4096, (96L << 20) / 4096));
        target.addPort(Port.of(1, type, Rxe.address(), SERVICE));
        target.link(1, NQN);
        target.link(1, RESTRICTED);
        target.link(1, NEIGHBOUR);
        server = new TargetServer(target).start();
    }

    @AfterAll
    static void stopTarget() {
        Commands.run(Duration.ofSeconds(60), "nvme", "disconnect", "-n", NQN);
        if (server != null) {
            server.close();
            server = null;
        }
    }

    @Test
    @Order(1)
    void discoveryListsOnlyWhatThisHostMayUse() {
        String log = KernelNvmeHost.discover(transport, Rxe.address(), SERVICE);
        assertTrue(log.contains("subnqn:  " + NQN), log);
        assertTrue(log.contains("current discovery subsystem"), log);
        assertFalse(log.contains(RESTRICTED), "a subsystem this host may not use must not be listed:\n" + log);
    }

    @Test
    @Order(2)
    void hostNotAllowedIsRefusedWithConnectInvalidHost() {
        CommandResult connect = Commands.run(Duration.ofSeconds(60), "nvme", "connect", "-t", transport, "-n", RESTRICTED,
                "-a", Rxe.address(), "-s", Integer.toString(SERVICE));
        assertNotEquals(0, connect.exitCode(), "connect to a subsystem that does not allow this host must fail");
        String dmesg = Commands.run(Duration.ofSeconds(30), "dmesg").stdout();
        assertTrue(dmesg.contains("is not allowed"), "the kernel should log the refusal (Connect Invalid Host):\n"
                + dmesg.lines().filter(l -> l.contains("nvme")).reduce("", (a, b) -> a + b + "\n"));
    }

    @Test
    @Order(3)
    void fioVerifyPassesThroughTheKernelHost() {
        try (KernelNvmeHost.Connection c = KernelNvmeHost.connect(transport, NQN, Rxe.address(), SERVICE)) {
            // The size: 256 MiB of 4 KiB random writes at QD16, every block read back and checked (crc32c).
            FioResult fio = Fio.job(transport + "-verify", c.blockDevices().get(0)).verifiedRandomWrite("4k", "256M", 16)
                    .timeout(Duration.ofMinutes(15)).run();
            System.out.printf("our target over %s: fio randwrite+verify %d writes, %d verified reads, %.0f write IOPS%n", transport,
                    fio.write().ios(), fio.read().ios(), fio.write().iops());
            assertEquals(0, fio.error(), "fio verify error");
            assertEquals(65536, fio.read().ios(), "every written block read back and verified");
        }
    }

    @Test
    @Order(3)
    void nvmeCliReadsIdentifyLogsAndTheSubsystemList() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        try (KernelNvmeHost.Connection c = KernelNvmeHost.connect(transport, NQN, Rxe.address(), SERVICE)) {
            String ctrl = c.controllers().get(0).toString();
            String ns = c.blockDevices().get(0).toString();
            var idCtrl = json.readTree(nvme("id-ctrl", ctrl, "-o", "json"));
            assertEquals("JUDGED0001", idCtrl.path("sn").asText().strip());
            assertEquals(NQN, idCtrl.path("subnqn").asText());
            var idNs = json.readTree(nvme("id-ns", ns, "-o", "json"));
            assertEquals(NAMESPACE_BLOCKS, idNs.path("nsze").asLong(), "namespace size in blocks");
            assertTrue(nvme("list", "-o", "json").contains(ns), "nvme list shows " + ns);
            assertTrue(nvme("list-subsys", "-o", "json").contains(NQN), "nvme list-subsys shows the subsystem");
            var smart = json.readTree(nvme("smart-log", ctrl, "-o", "json"));
            assertTrue(smart.has("critical_warning") && smart.path("critical_warning").asInt() == 0, smart.toString());
            nvme("error-log", ctrl, "-e", "4");
        }
    }

    private static String nvme(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("nvme"));
        cmd.addAll(List.of(args));
        return Commands.run(Duration.ofSeconds(60), cmd).orThrow().stdout();
    }

    /** mkfs discards the whole device first; Linux sends DSM with a buffer for 256 ranges whatever NR says. */
    @Test
    @Order(4)
    void discardFromTheHostDeallocatesAndTheRangeReadsBackAsZeros() {
        try (KernelNvmeHost.Connection c = KernelNvmeHost.connect(transport, NQN, Rxe.address(), SERVICE)) {
            String dev = c.blockDevices().get(0).toString();
            Commands.run(Duration.ofSeconds(60), "dd", "if=/dev/urandom", "of=" + dev, "bs=1M", "count=2", "oflag=direct", "status=none")
                    .orThrow();
            CommandResult discard = Commands.run(Duration.ofSeconds(60), "blkdiscard", "-o", "0", "-l", "1048576", dev);
            assertEquals(0, discard.exitCode(), "blkdiscard of the first MiB: " + discard.describe());
            CommandResult zeros = Commands.bash(Duration.ofSeconds(60),
                    "dd if=" + dev + " bs=1M count=1 iflag=direct status=none | cmp -n 1048576 - /dev/zero");
            assertEquals(0, zeros.exitCode(), "the discarded MiB reads back as zeros: " + zeros.describe());
            CommandResult kept = Commands.bash(Duration.ofSeconds(60),
                    "dd if=" + dev + " bs=1M skip=1 count=1 iflag=direct status=none | cmp -s -n 1048576 - /dev/zero");
            assertEquals(1, kept.exitCode(), "the MiB after it keeps its data");
        }
    }

    @Test
    @Order(5)
    void ext4SurvivesDisconnectAndReconnectWithTheSameChecksum() throws Exception {
        Path mnt = Files.createTempDirectory("nvmf-mnt");
        String sum;
        try (KernelNvmeHost.Connection c = KernelNvmeHost.connect(transport, NQN, Rxe.address(), SERVICE, fileSystemConnectOptions)) {
            String dev = c.blockDevices().get(0).toString();
            Commands.run(Duration.ofSeconds(180), "mkfs.ext4", "-q", "-F", dev).orThrow();
            Commands.run(Duration.ofSeconds(60), "mount", dev, mnt.toString()).orThrow();
            Commands.bash(Duration.ofSeconds(600), "head -c 100M /dev/urandom > " + mnt + "/blob && sync").orThrow();
            sum = sha256(mnt.resolve("blob"));
            Commands.run(Duration.ofSeconds(60), "umount", mnt.toString()).orThrow();
        }
        try (KernelNvmeHost.Connection c = KernelNvmeHost.connect(transport, NQN, Rxe.address(), SERVICE, fileSystemConnectOptions)) {
            Commands.run(Duration.ofSeconds(60), "mount", c.blockDevices().get(0).toString(), mnt.toString()).orThrow();
            try {
                assertEquals(sum, sha256(mnt.resolve("blob")), "the file's checksum after reconnecting");
            } finally {
                Commands.run(Duration.ofSeconds(60), "umount", mnt.toString()).orThrow();
            }
        }
    }

    @Test
    @Order(6)
    void namespaceAddedWhileConnectedReachesTheHost() throws InterruptedException {
        try (KernelNvmeHost.Connection c = KernelNvmeHost.connect(transport, NQN, Rxe.address(), SERVICE)) {
            assertEquals(1, c.blockDevices().size());
            server.target().addNamespace(NQN, 2, RamNamespaceStore.create("judged-ns2", 512, (8L << 20) / 512));
            List<Path> devices = c.blockDevices();
            for (int i = 0; i < 100 && devices.size() < 2; i++) {
                Thread.sleep(200);
                devices = c.blockDevices();
            }
            assertEquals(2, devices.size(), "the namespace-attribute-changed notice should make the host add nsid 2: " + devices);
        } finally {
            server.target().removeNamespace(NQN, 2).close();
        }
    }

    /**
     * {@code nvme disconnect} of one subsystem while fio runs on it and on another: the other's
     * verify passes, and the disconnected one can be connected again and read.
     */
    @Test
    @Order(7)
    void disconnectDuringIoLeavesTheTargetServingOthers() throws Exception {
        try (KernelNvmeHost.Connection neighbour = KernelNvmeHost.connect(transport, NEIGHBOUR, Rxe.address(), SERVICE)) {
            KernelNvmeHost.Connection victim = KernelNvmeHost.connect(transport, NQN, Rxe.address(), SERVICE);
            try (Commands.Background victimIo = Commands.start(Fio.job("victim", victim.blockDevices().get(0)).option("rw", "randrw")
                    .option("bs", "4k").option("iodepth", 16).option("size", "64M").option("time_based", 1).option("runtime", 120)
                    .commandLine().toArray(String[]::new))) {
                CompletableFuture<FioResult> neighbourIo = CompletableFuture.supplyAsync(() ->
                        Fio.job("neighbour-verify", neighbour.blockDevices().get(0)).verifiedRandomWrite("4k", "64M", 16)
                                .timeout(Duration.ofMinutes(10)).run());
                Thread.sleep(5_000);
                assertTrue(victimIo.process().isAlive(), "fio on the victim ended before the disconnect: "
                        + victimIo.awaitOrStop(Duration.ZERO).describe());
                victim.close();  // nvme disconnect, its I/O in flight
                victimIo.awaitOrStop(Duration.ofSeconds(60));
                FioResult verify = neighbourIo.get(10, TimeUnit.MINUTES);
                assertEquals(0, verify.error(), "fio verify on the other subsystem");
                assertEquals(16384, verify.read().ios(), "every block written to the other subsystem read back and verified");
            }
        }
        try (KernelNvmeHost.Connection again = KernelNvmeHost.connect(transport, NQN, Rxe.address(), SERVICE)) {
            CommandResult read = Commands.run(Duration.ofSeconds(60), "dd", "if=" + again.blockDevices().get(0), "of=/dev/null",
                    "bs=1M", "count=4", "iflag=direct", "status=none");
            assertEquals(0, read.exitCode(), "reading the reconnected subsystem: " + read.describe());
        }
    }

    private static String sha256(Path file) {
        return Commands.run(Duration.ofSeconds(120), "sha256sum", file.toString()).orThrow().stdout().split("\\s+")[0];
    }
}
