package io.nvmfoffload.softroce.hostile;

import io.nvmfoffload.nvme.store.RamNamespaceStore;
import io.nvmfoffload.offload.DeviceProfile;
import io.nvmfoffload.offload.emulated.EmulatedNvmfOffloadProvider;
import io.nvmfoffload.softroce.bed.InBed;
import io.nvmfoffload.softroce.bed.Rxe;
import io.nvmfoffload.softroce.hostile.RdmaCapsules.Cqe;
import io.nvmfoffload.nvmf.Port;
import io.nvmfoffload.nvmf.SubsystemOffload;
import io.nvmfoffload.nvmf.Target;
import io.nvmfoffload.nvmf.TransportType;
import io.nvmfoffload.nvmf.server.TargetServer;
import io.nvmfoffload.verbs.nvmf.OffloadOp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.EnumSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The completions the emulated offload engine sends on an offloaded I/O queue, read by a host
 * written from the specifications ({@link SpecRdmaHost}): each carries the SQID of the queue the
 * command came on and an SQ head pointer that wraps at the queue's size, as the software path's do.
 */
@InBed
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class OffloadedQueueCompletionsTest {
    private static final String NQN = "nqn.2026-12.io.nvmf-offload:offloaded-cqe";
    /** Offloaded too, with switch_failure "software": a queue that cannot be switched is served by software. */
    private static final String FALLBACK_NQN = "nqn.2026-12.io.nvmf-offload:offloaded-fallback";
    private static final String HOST = "nqn.2014-08.org.nvmexpress:uuid:6f1d2b3c-4d5e-4f60-9b7c-8d9e0f1a2b3c";
    private static final UUID HOST_ID = UUID.fromString("6f1d2b3c-4d5e-4f60-9b7c-8d9e0f1a2b3c");
    private static final int SERVICE = 4480;
    private static final int READ = 0x02;
    private static TargetServer server;
    private static InetSocketAddress address;

    @BeforeAll
    static void start() throws Exception {
        Target target = new Target();
        target.addSubsystem(NQN, "OFFLOADCQE01", "nvmf-offload offloaded completions", true);
        target.addNamespace(NQN, 1, RamNamespaceStore.create("offload-cqe-ns1", 4096, (16L << 20) / 4096));
        target.setOffload(NQN, new SubsystemOffload(EnumSet.allOf(OffloadOp.class), 64, 16L << 20, 128L << 10, 1_000_000));
        target.addSubsystem(FALLBACK_NQN, "OFFLOADCQE02", "nvmf-offload switch fallback", true);
        target.addNamespace(FALLBACK_NQN, 1, RamNamespaceStore.create("offload-cqe-ns2", 4096, (16L << 20) / 4096));
        target.setOffload(FALLBACK_NQN, new SubsystemOffload(EnumSet.allOf(OffloadOp.class), 64, 16L << 20, 128L << 10, 1_000_000,
                SubsystemOffload.SwitchFailure.SOFTWARE));
        target.addPort(new Port(1, TransportType.RDMA, Rxe.address(), SERVICE, 8192));
        target.link(1, NQN);
        target.link(1, FALLBACK_NQN);
        server = new TargetServer(target).offloadProvider(new EmulatedNvmfOffloadProvider(DeviceProfile.connectX5Class())).start();
        address = new InetSocketAddress(InetAddress.getByName(Rxe.address()), SERVICE);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theEngineAnswersWithTheQueuesSqidAndAnSqHeadThatWrapsAtItsSize() {
        try (SpecRdmaHost admin = SpecRdmaHost.connect(address, RdmaCapsules.cmRequest(0, 32, 31, 32))) {
            Cqe connected = admin.call(RdmaCapsules.connect(1, 0, 31, 0, 0xFFFF, NQN, HOST, HOST_ID));
            assertEquals(0, connected.status() >>> 1, "admin connect: " + connected);
            int cntlid = connected.dw0() & 0xFFFF;
            assertEquals(0, admin.call(RdmaCapsules.enable(2)).status() >>> 1, "CC.EN = 1");
            // I/O queue 1 of four entries (HSQSIZE and SQSIZE 3, 0's based)
            try (SpecRdmaHost io = SpecRdmaHost.connect(address, RdmaCapsules.cmRequest(1, 4, 3, cntlid, 32))) {
                Cqe ioConnected = io.call(RdmaCapsules.connect(1, 1, 3, 0, cntlid, NQN, HOST, HOST_ID));
                assertEquals(0, ioConnected.status() >>> 1, "I/O connect: " + ioConnected);
                assertEquals(1, ioConnected.sqid());
                assertEquals(1, ioConnected.sqhd(), "the Connect took the first entry");
                assertEquals(1, server.rdmaListeners().getFirst().offload().offloadedQueues(), "qid 1 was switched to offload");
                long engineReads = server.offloads().counters(1, NQN, 1).readCommands();
                int[] heads = {2, 3, 0, 1, 2, 3};
                for (int i = 0; i < heads.length; i++) {
                    Cqe read = io.call(RdmaCapsules.keyed(READ, 10 + i, 1, io.dataAddress(), 4096, io.rkey(), i, 0));
                    assertEquals(0, read.status() >>> 1, "read " + i + ": " + read);
                    assertEquals(10 + i, read.cid());
                    assertEquals(1, read.sqid(), "the SQID of the queue the read came on: " + read);
                    assertEquals(heads[i], read.sqhd(), "SQHD after " + (i + 2) + " commands on a 4-entry queue");
                }
                assertEquals(engineReads + heads.length, server.offloads().counters(1, NQN, 1).readCommands(),
                        "the engine answered the reads, not the software path");
            }
        }
    }

    /**
     * An I/O queue whose CM request names a controller that does not exist is created on the port's
     * shared SRQ, not on the subsystem's offload SRQ, so it cannot be switched after its CONNECT: the
     * CONNECT fails with Internal Error and DNR, as the vendor's nvmet-rdma fails a queue it cannot
     * install.
     */
    @Test
    void aQueueThatCannotBeSwitchedFailsItsConnectWithInternalErrorAndDnr() {
        try (SpecRdmaHost admin = SpecRdmaHost.connect(address, RdmaCapsules.cmRequest(0, 32, 31, 32))) {
            int cntlid = enabledController(admin, NQN);
            int offloadedBefore = server.rdmaListeners().getFirst().offload().offloadedQueues();
            try (SpecRdmaHost io = SpecRdmaHost.connect(address, RdmaCapsules.cmRequest(1, 4, 3, cntlid + 1000, 32))) {
                Cqe refused = io.call(RdmaCapsules.connect(1, 1, 3, 0, cntlid, NQN, HOST, HOST_ID));
                // Generic Command Status (SCT 0), Internal Error (SC 06h), Do Not Retry
                assertEquals(0, refused.sct(), "CONNECT of an unswitchable queue: " + refused);
                assertEquals(0x06, refused.sc(), "CONNECT of an unswitchable queue: " + refused);
                assertTrue(refused.dnr(), "with DNR: " + refused);
            }
            assertEquals(offloadedBefore, server.rdmaListeners().getFirst().offload().offloadedQueues());
            // the host's next try, naming its controller, is switched: the failed one left qid 1 free
            try (SpecRdmaHost io = SpecRdmaHost.connect(address, RdmaCapsules.cmRequest(1, 4, 3, cntlid, 32))) {
                Cqe connected = io.call(RdmaCapsules.connect(1, 1, 3, 0, cntlid, NQN, HOST, HOST_ID));
                assertEquals(0, connected.status() >>> 1, "I/O connect naming its controller: " + connected);
            }
        }
    }

    @Test
    void withSwitchFailureSoftwareTheSoftwarePathServesAQueueThatCannotBeSwitched() {
        try (SpecRdmaHost admin = SpecRdmaHost.connect(address, RdmaCapsules.cmRequest(0, 32, 31, 32))) {
            int cntlid = enabledController(admin, FALLBACK_NQN);
            int offloadedBefore = server.rdmaListeners().getFirst().offload().offloadedQueues();
            try (SpecRdmaHost io = SpecRdmaHost.connect(address, RdmaCapsules.cmRequest(1, 4, 3, cntlid + 1000, 32))) {
                Cqe connected = io.call(RdmaCapsules.connect(1, 1, 3, 0, cntlid, FALLBACK_NQN, HOST, HOST_ID));
                assertEquals(0, connected.status() >>> 1, "switch_failure software: the CONNECT succeeds: " + connected);
                assertEquals(offloadedBefore, server.rdmaListeners().getFirst().offload().offloadedQueues(), "not offloaded");
                long engineReads = server.offloads().counters(1, FALLBACK_NQN, 1).readCommands();
                Cqe read = io.call(RdmaCapsules.keyed(READ, 9, 1, io.dataAddress(), 4096, io.rkey(), 0, 0));
                assertEquals(0, read.status() >>> 1, "the software path serves the read: " + read);
                assertEquals(engineReads, server.offloads().counters(1, FALLBACK_NQN, 1).readCommands(), "not the engine");
            }
        }
    }

    /** Admin Connect to {@code nqn} and CC.EN = 1; returns the controller's CNTLID. */
    private static int enabledController(SpecRdmaHost admin, String nqn) {
        Cqe connected = admin.call(RdmaCapsules.connect(1, 0, 31, 0, 0xFFFF, nqn, HOST, HOST_ID));
        assertEquals(0, connected.status() >>> 1, "admin connect: " + connected);
        assertEquals(0, admin.call(RdmaCapsules.enable(2)).status() >>> 1, "CC.EN = 1");
        return connected.dw0() & 0xFFFF;
    }
}
