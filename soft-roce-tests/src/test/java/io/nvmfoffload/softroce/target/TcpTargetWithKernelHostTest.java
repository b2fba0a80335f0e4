package io.nvmfoffload.softroce.target;

import io.nvmfoffload.softroce.bed.InBed;
import io.nvmfoffload.softroce.bed.Rxe;
import io.nvmfoffload.softroce.fio.Fio;
import io.nvmfoffload.softroce.fio.FioResult;
import io.nvmfoffload.softroce.net.FreezableTcpProxy;
import io.nvmfoffload.softroce.nvmet.KernelNvmeHost;
import io.nvmfoffload.softroce.process.CommandResult;
import io.nvmfoffload.softroce.process.Commands;
import io.nvmfoffload.nvmf.TransportType;
import io.nvmfoffload.nvmf.core.Controller;
import io.nvmfoffload.nvmf.core.TargetCore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import io.nvmfoffload.nvmf.transport.tcp.ddp.UlpDdpCapability;
import io.nvmfoffload.nvmf.transport.tcp.ddp.UlpDdpDevice;

import io.nvmfoffload.nvme.store.FileNamespaceStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Our NVMe/TCP target and the kernel's NVMe/TCP host, plus CRC32C header and data digests. */
@InBed
class TcpTargetWithKernelHostTest extends TargetWithKernelHostTestBase {
    /** NVMe/TCP PDU type of a command capsule, and the fatal error status of a header digest error (NVMe/TCP 1.0, 7.4.4). */
    private static final int CAPSULE_CMD = 0x04;
    private static final int H2C_DATA = 0x06;
    private static final int FES_HEADER_DIGEST_ERROR = 0x03;

    @BeforeAll
    static void start() {
        fileSystemConnectOptions = new String[] {"--hdr-digest", "--data-digest"};
        startTarget(TransportType.TCP);
    }

    @Test
    @Order(3)
    void fioVerifyPassesWithHeaderAndDataDigests() {
        String log = KernelNvmeHost.discover("tcp", Rxe.address(), SERVICE, "--hdr-digest", "--data-digest");
        assertTrue(log.contains("subnqn:  " + NQN), "discovery with both digests:\n" + log);
        try (KernelNvmeHost.Connection c = KernelNvmeHost.connect("tcp", NQN, Rxe.address(), SERVICE,
                "--hdr-digest", "--data-digest")) {
            FioResult fio = Fio.job("tcp-digests", c.blockDevices().get(0)).verifiedRandomWrite("16k", "8M", 8).run();
            assertEquals(0, fio.error(), "fio verify error with CRC32C header and data digests");
            assertEquals(512, fio.read().ios(), "every written block read back and verified");
        }
    }

    /**
     * The kernel host connects through a relay with a 5 s keep-alive timeout; then the relay
     * swallows everything the host sends. The target must time the controller out on its own
     * (traffic-based keep alive: no command for 5 s) and tear its queues down; the host then sees
     * its connection close and reconnects, through the relay, to a working namespace.
     */
    @Test
    @Order(8)
    void hostThatStopsSendingKeepAlivesIsTimedOutAndReconnects() throws Exception {
        CompletableFuture<String> expired = new CompletableFuture<>();
        server.core().addControllerListener(new TargetCore.ControllerListener() {
            @Override
            public void deleted(Controller controller, String reason) {
                if (controller.subsystemNqn().equals(NQN) && reason.contains("keep-alive")) {
                    expired.complete(reason);
                }
            }
        });
        int proxyPort = SERVICE + 9;
        try (FreezableTcpProxy proxy = FreezableTcpProxy.start(Rxe.address(), proxyPort, Rxe.address(), SERVICE);
             KernelNvmeHost.Connection c = KernelNvmeHost.connect("tcp", NQN, Rxe.address(), proxyPort,
                     "--keep-alive-tmo=5", "--reconnect-delay=2", "--ctrl-loss-tmo=120")) {
            String dev = c.blockDevices().get(0).toString();
            assertEquals(0, read(dev).exitCode(), "reading before the host goes silent");
            int before = proxy.connectionsAccepted();
            long silentAt = System.nanoTime();
            proxy.freezeHostToTarget();
            String reason = expired.get(60, TimeUnit.SECONDS);
            long afterMillis = (System.nanoTime() - silentAt) / 1_000_000;
            System.out.printf("keep-alive expiry %d ms after the host went silent: %s%n", afterMillis, reason);
            assertTrue(afterMillis >= 4_500, "expired after " + afterMillis + " ms, before the 5 s KATO");
            // The host reconnects by itself (reconnect delay 2 s); the namespace reads again.
            assertReconnectedAndReadable(proxy, before, dev);
            assertTrue(server.core().controllers().stream().anyMatch(k -> k.subsystemNqn().equals(NQN)),
                    "a controller of " + NQN + " again after the reconnect");
        }
    }

    /**
     * A bit flipped in a command capsule's header on the wire, with header digests on: the target
     * must answer with a C2HTermReq (Header Digest Error) and close the connection, and the kernel
     * host must recover by reconnecting, the namespace readable again.
     */
    @Test
    @Order(9)
    void corruptedHeaderDigestTerminatesTheConnectionAndTheHostReconnects() throws Exception {
        CompletableFuture<String> termination = new CompletableFuture<>();
        Logger tcpLog = Logger.getLogger("io.nvmfoffload.nvmf.transport.tcp.TcpConnection");
        Handler watch = new Handler() {
            @Override
            public void publish(LogRecord record) {
                String message = new SimpleFormatter().formatMessage(record);
                if (message.contains("C2HTermReq")) {
                    termination.complete(message);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        tcpLog.addHandler(watch);
        int proxyPort = SERVICE + 8;
        try (FreezableTcpProxy proxy = FreezableTcpProxy.start(Rxe.address(), proxyPort, Rxe.address(), SERVICE);
             KernelNvmeHost.Connection c = KernelNvmeHost.connect("tcp", NQN, Rxe.address(), proxyPort,
                     "--hdr-digest", "--data-digest", "--reconnect-delay=2", "--ctrl-loss-tmo=120")) {
            String dev = c.blockDevices().get(0).toString();
            assertEquals(0, read(dev).exitCode(), "reading before the corruption");
            int before = proxy.connectionsAccepted();
            CompletableFuture<Integer> corrupted = proxy.corruptNextHostPdu(CAPSULE_CMD);
            CommandResult during = read(dev);  // its commands carry the corrupted capsule
            assertEquals(CAPSULE_CMD, corrupted.get(60, TimeUnit.SECONDS));
            String message = termination.get(60, TimeUnit.SECONDS);
            System.out.println("target: " + message + "; the read during it: " + during.describe());
            assertTrue(message.contains("header digest"), message);
            assertTrue(message.contains("FES " + FES_HEADER_DIGEST_ERROR), message);
            assertReconnectedAndReadable(proxy, before, dev);
        } finally {
            tcpLog.removeHandler(watch);
        }
    }

    /**
     * With the listener's DDP model on, 128 KiB writes of the kernel host (R2T, then one H2CData
     * each) are set up, placed straight into the command buffers and torn down, and nothing is
     * copied; with nvme-tcp switched off (a new connection), the same writes are all copied and
     * none placed. fio verifies the data both ways.
     */
    @Test
    @Order(10)
    void writesArePlacedWithDdpOnAndCopiedWithDdpOff() {
        UlpDdpDevice ddp = server.tcpListeners().get(0).ddp();
        try {
            for (boolean on : new boolean[] {true, false}) {
                ddp.setCaps(on ? UlpDdpCapability.all() : 0, UlpDdpCapability.NVME_TCP.bit());
                Map<String, Long> before = ddp.statistics().kernelCounters();
                long copiedBefore = ddp.statistics().copiedBytes();
                try (KernelNvmeHost.Connection c = KernelNvmeHost.connect("tcp", NQN, Rxe.address(), SERVICE,
                        "--hdr-digest", "--data-digest")) {
                    FioResult fio = Fio.job("tcp-ddp-" + on, c.blockDevices().get(0)).verifiedRandomWrite("128k", "16M", 8).run();
                    assertEquals(0, fio.error(), "fio verify with DDP " + (on ? "on" : "off"));
                }
                Map<String, Long> after = ddp.statistics().kernelCounters();
                long placed = after.get("rx-nvme-tcp-bytes") - before.get("rx-nvme-tcp-bytes");
                long copied = ddp.statistics().copiedBytes() - copiedBefore;
                long setups = after.get("rx-nvme-tcp-setup") - before.get("rx-nvme-tcp-setup");
                System.out.printf("DDP %s: placed %d bytes, copied %d bytes, %d setups, %d teardowns, sk_add %d%n", on ? "on" : "off",
                        placed, copied, setups, after.get("rx-nvme-tcp-teardown") - before.get("rx-nvme-tcp-teardown"),
                        after.get("rx-nvme-tcp-sk-add") - before.get("rx-nvme-tcp-sk-add"));
                if (on) {
                    assertTrue(placed >= 16L << 20, "16 MiB of writes placed, was " + placed);
                    assertEquals(0, copied, "nothing copied with DDP on");
                    assertTrue(setups >= 128, "one setup per 128 KiB write, was " + setups);
                    assertEquals(setups, after.get("rx-nvme-tcp-teardown") - before.get("rx-nvme-tcp-teardown"),
                            "every setup torn down when its write completed");
                } else {
                    assertEquals(0, placed, "nothing placed with DDP off");
                    assertTrue(copied >= 16L << 20, "16 MiB of writes copied, was " + copied);
                    assertEquals(0, setups);
                }
            }
        } finally {
            ddp.setCaps(UlpDdpCapability.all(), UlpDdpCapability.all());
        }
    }

    /**
     * One bit of an H2CData payload flipped in flight: the target's DDP digest check drops that
     * PDU, its write completes with Transient Transport Error (DNR clear), the kernel host retries
     * it, and fio verify finds no error. The connection is not torn down (no reconnect), and the
     * model resyncs its framing at the next PDU.
     */
    @Test
    @Order(11)
    void corruptedDataDigestFailsOnlyThatWriteAndTheHostRetriesIt() throws Exception {
        UlpDdpDevice ddp = server.tcpListeners().get(0).ddp();
        Map<String, Long> before = ddp.statistics().kernelCounters();
        int proxyPort = SERVICE + 9;
        try (FreezableTcpProxy proxy = FreezableTcpProxy.start(Rxe.address(), proxyPort, Rxe.address(), SERVICE);
             KernelNvmeHost.Connection c = KernelNvmeHost.connect("tcp", NQN, Rxe.address(), proxyPort,
                     "--hdr-digest", "--data-digest")) {
            int connections = proxy.connectionsAccepted();
            // header 24 + header digest 4 = PDO 28: byte 28 + 1000 is payload
            CompletableFuture<Integer> corrupted = proxy.corruptNextHostPdu(H2C_DATA, 28 + 1000);
            FioResult fio = Fio.job("tcp-ddgst", c.blockDevices().get(0)).verifiedRandomWrite("16k", "4M", 4).run();
            assertEquals(H2C_DATA, corrupted.get(10, TimeUnit.SECONDS), "an H2CData payload was corrupted");
            assertEquals(0, fio.error(), "fio verify after the retried write");
            assertEquals(connections, proxy.connectionsAccepted(), "no reconnect: the connection carried on");
        }
        Map<String, Long> after = ddp.statistics().kernelCounters();
        System.out.println("DDP counters after the corrupted payload: " + after);
        assertEquals(1, after.get("rx-nvme-tcp-drop") - before.get("rx-nvme-tcp-drop"), "the PDU failed the offload's check");
        assertEquals(1, after.get("rx-nvme-tcp-resync") - before.get("rx-nvme-tcp-resync"), "framing confirmed at the next PDU");
    }

    /**
     * A namespace on a file, over TCP without a data digest: reads go out by sendfile from the page
     * cache (the listener counts those bytes; nothing is read into a buffer first), and fio's
     * verify pass reads back exactly what it wrote.
     */
    @Test
    @Order(12)
    void readsFromAFileStoreAreSentFromThePageCacheAndVerify() throws Exception {
        String nqn = "nqn.2026-11.io.nvmf-offload:file-backed";
        // a path that does not exist yet: createIfMissing sizes only a file it creates
        Path file = Files.createTempDirectory("nvmf-file-ns").resolve("ns.img");
        server.target().addSubsystem(nqn, "FILEBACKED01", "nvmf-offload file backed", true);
        FileNamespaceStore store = FileNamespaceStore.builder(file).blockSize(4096).createIfMissing((64L << 20) / 4096).open();
        server.target().addNamespace(nqn, 1, store);
        server.target().link(1, nqn);
        long sentBefore = server.tcpListeners().get(0).bytesSentFromFiles();
        try (KernelNvmeHost.Connection c = KernelNvmeHost.connect("tcp", nqn, Rxe.address(), SERVICE)) {
            FioResult fio = Fio.job("tcp-sendfile", c.blockDevices().get(0)).verifiedRandomWrite("128k", "32M", 8).run();
            assertEquals(0, fio.error(), "fio verify of data sent by sendfile");
            long sent = server.tcpListeners().get(0).bytesSentFromFiles() - sentBefore;
            System.out.printf("sent from the page cache: %d bytes for %d verified reads%n", sent, fio.read().ios());
            assertTrue(sent >= 32L << 20, "the verify reads (32 MiB) went out by sendfile, was " + sent);
        } finally {
            server.target().unlink(1, nqn);
            server.target().removeSubsystem(nqn);
            store.close();
            try (var files = Files.list(file.getParent())) {
                for (Path p : files.toList()) {
                    Files.delete(p);  // the image and its identity sidecar
                }
            }
            Files.delete(file.getParent());
        }
    }

    /**
     * The host disables SQ flow control (our discovery entries say it may, TREQ): successful
     * reads are then answered by their C2HData with the SUCCESS flag and no response capsule, as
     * nvmet-tcp does, and fio verify with header and data digests reads back what it wrote.
     */
    @Test
    @Order(13)
    void withSqFlowControlDisabledReadsCompleteInTheirDataPdu() {
        String log = KernelNvmeHost.discover("tcp", Rxe.address(), SERVICE);
        assertTrue(log.contains("sq flow control disable supported"), log);
        long before = server.tcpListeners().get(0).completionsInDataPdu();
        try (KernelNvmeHost.Connection c = KernelNvmeHost.connect("tcp", NQN, Rxe.address(), SERVICE,
                "--disable-sqflow", "--hdr-digest", "--data-digest")) {
            FioResult fio = Fio.job("tcp-sqflow-off", c.blockDevices().get(0)).verifiedRandomWrite("16k", "8M", 8).run();
            assertEquals(0, fio.error(), "fio verify with SQ flow control disabled");
        }
        long inData = server.tcpListeners().get(0).completionsInDataPdu() - before;
        System.out.println("reads completed by their C2HData alone: " + inData);
        assertTrue(inData >= 512, "the 512 verify reads at least, was " + inData);
    }

    /** Within 90 s the host has made a new connection through the relay and the namespace reads. */
    private static void assertReconnectedAndReadable(FreezableTcpProxy proxy, int connectionsBefore, String dev)
            throws InterruptedException {
        CommandResult again = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            again = read(dev);
            if (again.exitCode() == 0 && proxy.connectionsAccepted() > connectionsBefore) {
                break;
            }
            Thread.sleep(1_000);
        }
        assertTrue(proxy.connectionsAccepted() > connectionsBefore, "the host never reconnected through the relay");
        assertEquals(0, again.exitCode(), "reading after the reconnect: " + again.describe());
    }

    private static CommandResult read(String dev) {
        return Commands.run(Duration.ofSeconds(60), "dd", "if=" + dev, "of=/dev/null", "bs=4k", "count=16", "iflag=direct",
                "status=none");
    }
}
