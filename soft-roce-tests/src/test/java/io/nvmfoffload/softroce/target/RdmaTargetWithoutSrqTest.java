package io.nvmfoffload.softroce.target;

import io.nvmfoffload.nvme.store.RamNamespaceStore;
import io.nvmfoffload.softroce.bed.InBed;
import io.nvmfoffload.softroce.bed.Rxe;
import io.nvmfoffload.softroce.fio.Fio;
import io.nvmfoffload.softroce.fio.FioResult;
import io.nvmfoffload.softroce.nvmet.KernelNvmeHost;
import io.nvmfoffload.nvmf.Port;
import io.nvmfoffload.nvmf.Target;
import io.nvmfoffload.nvmf.TransportType;
import io.nvmfoffload.nvmf.server.TargetServer;
import io.nvmfoffload.nvmf.transport.rdma.RdmaTransport;
import io.nvmfoffload.nvmf.transport.rdma.RdmaTransportOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The RDMA transport on a device without shared receive queues, as the issue asks it to fall back
 * to: forced on rxe0 (which has SRQs) with the port's no_srq option, each queue pair gets its
 * own receive queue and a run of the listener's receive buffers. The kernel host must not see a
 * difference: fio verify with in-capsule writes (4 KiB) and keyed ones (128 KiB) on two I/O queues,
 * and every buffer back in the pool once the host has gone, after a connect/disconnect loop too.
 */
@InBed
class RdmaTargetWithoutSrqTest {
    private static final String NQN = "nqn.2026-11.io.nvmf-offload:no-srq";
    private static final int SERVICE = 4460;
    private static TargetServer server;

    @BeforeAll
    static void start() {
        KernelNvmeHost.loadModules();
        Target target = new Target();
        target.addSubsystem(NQN, "NOSRQ0001", "nvmf-offload without SRQ", true);
        target.addNamespace(NQN, 1, RamNamespaceStore.create("no-srq-ns1", 4096, (64L << 20) / 4096));
        target.addPort(new Port(1, TransportType.RDMA, Rxe.address(), SERVICE, 8192, RdmaTransportOptions.DEFAULTS.withNoSrq(true)));
        target.link(1, NQN);
        server = new TargetServer(target).start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void inCapsuleAndKeyedWritesVerifyOnQueuePairsWithReceiveQueuesOfTheirOwnAndEveryBufferComesBack() throws Exception {
        RdmaTransport listener = server.rdmaListeners().get(0);
        assertFalse(listener.sharesReceiveQueue(), "forced to a receive queue per queue pair");
        try (KernelNvmeHost.Connection c = KernelNvmeHost.connect("rdma", NQN, Rxe.address(), SERVICE, "--nr-io-queues=2",
                "--queue-size=64")) {
            var dev = c.blockDevices().get(0);
            CompletableFuture<FioResult> small = CompletableFuture.supplyAsync(() -> Fio.job("no-srq-4k", dev)
                    .verifiedRandomWrite("4k", "16M", 32).option("offset", "0").timeout(Duration.ofMinutes(10)).run());
            FioResult large = Fio.job("no-srq-128k", dev).verifiedRandomWrite("128k", "16M", 8).option("offset", "32M")
                    .timeout(Duration.ofMinutes(10)).run();
            FioResult fourK = small.get();
            System.out.printf("without SRQ: 4k verify error %d (%d reads), 128k verify error %d (%d reads); %d of %d receive "
                    + "buffers in use while connected%n", fourK.error(), fourK.read().ios(), large.error(), large.read().ios(),
                    listener.receiveBuffersInUse(), listener.receiveBuffers());
            assertEquals(0, fourK.error(), "4 KiB in-capsule writes verified");
            assertEquals(4096, fourK.read().ios());
            assertEquals(0, large.error(), "128 KiB keyed writes verified");
            assertEquals(128, large.read().ios());
        }
        for (int i = 0; i < 5; i++) {
            try (KernelNvmeHost.Connection c = KernelNvmeHost.connect("rdma", NQN, Rxe.address(), SERVICE)) {
                c.blockDevices();
            }
        }
        awaitNoQueue(listener);
        assertEquals(0, listener.receiveBuffersInUse(), "receive buffers left with queue pairs that are gone");
    }

    private static void awaitNoQueue(RdmaTransport listener) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while ((listener.connectionCount() > 0 || listener.receiveBuffersInUse() > 0) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertEquals(0, listener.connectionCount(), "queues left on the listener");
    }
}
