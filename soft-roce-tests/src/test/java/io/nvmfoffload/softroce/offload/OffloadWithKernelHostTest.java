package io.nvmfoffload.softroce.offload;

import io.nvmfoffload.nvme.emu.EmulatedController;
import io.nvmfoffload.nvme.store.RamNamespaceStore;
import io.nvmfoffload.offload.BackendRecovery;
import io.nvmfoffload.offload.DeviceProfile;
import io.nvmfoffload.offload.OffloadConfigurationException;
import io.nvmfoffload.offload.OffloadEvent;
import io.nvmfoffload.offload.OffloadNamespaceStatus;
import io.nvmfoffload.offload.emulated.EmulatedNvmfOffloadProvider;
import io.nvmfoffload.softroce.bed.InBed;
import io.nvmfoffload.softroce.bed.Rxe;
import io.nvmfoffload.softroce.fio.Fio;
import io.nvmfoffload.softroce.fio.FioResult;
import io.nvmfoffload.softroce.nvmet.KernelNvmeHost;
import io.nvmfoffload.softroce.process.Commands;
import io.nvmfoffload.nvmf.NamespaceCounters;
import io.nvmfoffload.nvmf.Port;
import io.nvmfoffload.nvmf.SubsystemOffload;
import io.nvmfoffload.nvmf.Target;
import io.nvmfoffload.nvmf.TransportType;
import io.nvmfoffload.nvmf.server.TargetServer;
import io.nvmfoffload.nvmf.transport.rdma.RdmaTransport;
import io.nvmfoffload.verbs.nvmf.OffloadNamespaceCounters;
import io.nvmfoffload.verbs.nvmf.OffloadOp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The offload on rxe0 with the emulated provider, judged by the kernel's nvme-rdma host: what it
 * executes, what it leaves to software, what it refuses, and how it recovers from backend faults.
 */
@InBed
@Timeout(value = 6, unit = TimeUnit.MINUTES)  // a hang fails this test, not the whole guest run
class OffloadWithKernelHostTest {
    private static final String NQN = "nqn.2026-11.io.nvmf-offload:offloaded";
    private static final int SERVICE = 4440;
    private TargetServer server;

    @BeforeAll
    static void modules() {
        KernelNvmeHost.loadModules();
    }

    @AfterEach
    void stop() {
        Commands.run(Duration.ofSeconds(60), "nvme", "disconnect", "-n", NQN);
        if (server != null) {
            server.close();
            server = null;
        }
    }

    private static SubsystemOffload offload(Set<OffloadOp> ops, int queueDepth, long staging, long maxIo) {
        return new SubsystemOffload(ops, queueDepth, staging, maxIo, 1_000_000);
    }

    private TargetServer start(DeviceProfile profile, int inCapsuleDataSize, Consumer<Target> configure) {
        Target target = new Target();
        target.addSubsystem(NQN, "OFFLOAD0001", "nvmf-offload offloaded", true);
        configure.accept(target);
        target.addPort(new Port(1, TransportType.RDMA, Rxe.address(), SERVICE, inCapsuleDataSize));
        target.link(1, NQN);
        server = new TargetServer(target).offloadProvider(new EmulatedNvmfOffloadProvider(profile));
        try {
            return server.start();
        } catch (RuntimeException e) {
            server.close();
            server = null;
            throw e;
        }
    }

    private TargetServer startDefault() {
        return start(DeviceProfile.connectX5Class(), 8192, t -> {
            t.addNamespace(NQN, 1, RamNamespaceStore.create("offload-ns1", 4096, (64L << 20) / 4096));
            t.setOffload(NQN, offload(EnumSet.allOf(OffloadOp.class), 64, 16L << 20, 128L << 10));
        });
    }

    private OffloadNamespaceCounters engine(int nsid) {
        return server.offloads().counters(1, NQN, nsid);
    }

    private NamespaceCounters software(int nsid) {
        return server.target().subsystem(NQN).namespace(nsid).counters();
    }

    @Test
    void fioVerifyThroughAnOffloadedSubsystemRunsEveryMappedIoInTheEngine() {
        startDefault();
        try (KernelNvmeHost.Connection c = KernelNvmeHost.connect("rdma", NQN, Rxe.address(), SERVICE)) {
            FioResult fio = Fio.job("offload-verify", c.blockDevices().get(0)).verifiedRandomWrite("4k", "16M", 16)
                    .option("fsync", 256).run();
            assertEquals(0, fio.error(), "fio verify error");
            long inlineBefore = engine(1).inlineWriteCommands();
            // 64 KiB writes do not fit in the capsule: the engine fetches them with RDMA READ, and
            // their PRPs to the backend need a PRP list.
            FioResult large = Fio.job("offload-verify-64k", c.blockDevices().get(0)).verifiedRandomWrite("64k", "16M", 8).run();
            assertEquals(0, large.error(), "fio verify error with 64 KiB blocks");
            assertEquals(inlineBefore, engine(1).inlineWriteCommands(), "64 KiB writes are not in-capsule");
            // 8 KiB: two pages, which the engine points at with PRP1 and PRP2, no list
            FioResult twoPages = Fio.job("offload-verify-8k", c.blockDevices().get(0)).verifiedRandomWrite("8k", "4M", 8).run();
            assertEquals(0, twoPages.error(), "fio verify error with 8 KiB blocks");
            OffloadNamespaceCounters e = engine(1);
            assertTrue(e.writeBlocks() >= 4096 + 256 * 16, "the 64 KiB writes went through the engine too: " + e);
            NamespaceCounters s = software(1);
            RdmaTransport rdma = server.rdmaListeners().get(0);
            System.out.printf("offload (provider %s): engine %s; software read %d write %d flush %d; %d of %d queues offloaded%n",
                    rdma.offload().providerName(), e, s.readCommands.sum(), s.writeCommands.sum(), s.flushCommands.sum(),
                    rdma.offload().offloadedQueues(), rdma.connectionCount());
            assertTrue(e.writeCommands() >= 4096, "every fio write through the engine: " + e);
            assertTrue(e.readCommands() >= 4096, "every verify read through the engine: " + e);
            assertTrue(e.flushCommands() > 0, "fsync's flushes through the engine: " + e);
            assertEquals(0, s.readCommands.sum() + s.writeCommands.sum() + s.flushCommands.sum(),
                    "the software path must not have served any I/O of the mapped namespace; events: " + server.offloads().events().recent());
            assertEquals(rdma.connectionCount() - 1, rdma.offload().offloadedQueues(), "every I/O queue offloaded, the admin queue not");
            assertEquals("emulated", rdma.offload().providerName());
            // The kernel host registers each read's buffer and flags its keyed SGL "invalidate":
            // the engine answers with Send with Invalidate of that key, as nvmet-rdma does, and a
            // wrong key would make the host log a bogus invalidation and reset the controller.
            long invalidations = server.offloads().status().get(0).remoteInvalidations();
            assertTrue(invalidations >= e.readCommands(), "every engine read answered with Send with Invalidate: "
                    + invalidations + " for " + e.readCommands() + " reads");
            assertFalse(KernelNvmeHost.loggedBogusRemoteInvalidation(), "the host saw a wrong rkey invalidated");
        }
    }

    @Test
    void aNamespaceAddedAfterStartIsServedBySoftwareAndCountedAsUnknown() throws InterruptedException {
        startDefault();
        try (KernelNvmeHost.Connection c = KernelNvmeHost.connect("rdma", NQN, Rxe.address(), SERVICE)) {
            server.target().addNamespace(NQN, 2, RamNamespaceStore.create("offload-ns2", 4096, (16L << 20) / 4096));
            List<java.nio.file.Path> devices = c.blockDevices();
            for (int i = 0; i < 100 && devices.size() < 2; i++) {
                Thread.sleep(200);
                devices = c.blockDevices();
            }
            assertEquals(2, devices.size(), "nsid 2 should appear on the host");
            java.nio.file.Path ns2 = devices.stream().filter(p -> p.toString().endsWith("n2")).findFirst().orElseThrow();
            FioResult fio = Fio.job("software-ns2", ns2).verifiedRandomWrite("4k", "4M", 8).run();
            assertEquals(0, fio.error());
            assertTrue(software(2).writeCommands.sum() >= 1024, "the unmapped namespace is served by software");
            List<OffloadNamespaceStatus> status = server.offloads().status();
            assertTrue(status.get(0).unknownNamespaceCommands() >= 1024, "the engine counts what it handed over: " + status);
        } finally {
            server.target().removeNamespace(NQN, 2).close();
        }
    }

    @Test
    void aConfigBreakingEachLimitIsRefusedBeforeAnythingIsCreated() {
        record Case(String limit, Consumer<Target> config) {}
        // The tiny profile: 2 namespaces and backend controllers, nsid <= 8, read+write only, queue
        // depth 16..64, staging 8..16 MiB, max_io_sz 16 KiB. An IOCCSZ above its (64 + 4096) / 16 is
        // lowered to it, as the vendor kernel does, not refused (IdentifyIoccszTest).
        long mib = 1L << 20;
        List<Case> cases = List.of(
                new Case("max_srq_namespaces", t -> {
                    for (int n = 1; n <= 3; n++) {
                        t.addNamespace(NQN, n, RamNamespaceStore.create("l" + n, 4096, 256));
                    }
                    t.setOffload(NQN, offload(Set.of(OffloadOp.READ, OffloadOp.WRITE), 32, 8 * mib, 16 << 10));
                }),
                new Case("max_frontend_nsid", t -> {
                    t.addNamespace(NQN, 9, RamNamespaceStore.create("l9", 4096, 256));
                    t.setOffload(NQN, offload(Set.of(OffloadOp.READ, OffloadOp.WRITE), 32, 8 * mib, 16 << 10));
                }),
                new Case("offload_type", t -> {
                    t.addNamespace(NQN, 1, RamNamespaceStore.create("l1", 4096, 256));
                    t.setOffload(NQN, offload(EnumSet.allOf(OffloadOp.class), 32, 8 * mib, 16 << 10));
                }),
                new Case("max_nvme_queue_depth", t -> {
                    t.addNamespace(NQN, 1, RamNamespaceStore.create("l1", 4096, 256));
                    t.setOffload(NQN, offload(Set.of(OffloadOp.READ, OffloadOp.WRITE), 128, 8 * mib, 16 << 10));
                }),
                new Case("min_staging_buf_size", t -> {
                    t.addNamespace(NQN, 1, RamNamespaceStore.create("l1", 4096, 256));
                    t.setOffload(NQN, offload(Set.of(OffloadOp.READ, OffloadOp.WRITE), 32, 4 * mib, 16 << 10));
                }),
                new Case("max_io_sz", t -> {
                    t.addNamespace(NQN, 1, RamNamespaceStore.create("l1", 4096, 256));
                    t.setOffload(NQN, offload(Set.of(OffloadOp.READ, OffloadOp.WRITE), 32, 8 * mib, 64 << 10));
                }));
        for (Case c : cases) {
            OffloadConfigurationException e = assertThrows(OffloadConfigurationException.class,
                    () -> start(DeviceProfile.tiny(), 4096, c.config()), c.limit());
            System.out.println("refused (" + c.limit() + "): " + e.getMessage());
            assertTrue(e.getMessage().contains(c.limit()), "the message should name " + c.limit() + ": " + e.getMessage());
            assertTrue(e.getMessage().contains("provider emulated"), e.getMessage());
        }
        // Nothing was left behind: the same address and port serve a valid offloaded subsystem now.
        startDefault();
        assertEquals(1, server.offloads().status().size());
    }

    @Test
    void aPciErrorDuringFioVerifyMovesTheNamespaceToSoftwareAndLosesNothingUntilRecoveryPutsItBack() throws Exception {
        startDefault();
        assertFaultSurvived(device -> device.injectFatalError("PCIe link down (test)"), "NVME_PCI_ERR", "SOFTWARE_FALLBACK");
        OffloadNamespaceStatus st = server.offloads().status().get(0);
        assertTrue(st.route().startsWith("software: backend PCI error"), st.route());
        assertTrue(software(1).writeCommands.sum() > 0, "writes after the fault are served by software");
        // no way back by itself, as in the shipped stack: still on software after another fio run
        long engineWrites = engine(1).writeCommands();
        try (KernelNvmeHost.Connection c = KernelNvmeHost.connect("rdma", NQN, Rxe.address(), SERVICE)) {
            assertEquals(0, Fio.job("still-software", c.blockDevices().get(0)).verifiedRandomWrite("4k", "1M", 8).run().error());
        }
        assertEquals(engineWrites, engine(1).writeCommands(), "a PCI error is not recovered without the operator");

        // the operator's word (offload-ctl offload recover): device reset, new backend controller, offload again
        List<BackendRecovery> outcome = server.offloads().recoverAfterPciError(null, NQN);
        System.out.println("recovery: " + outcome);
        assertEquals(1, outcome.size(), outcome.toString());
        assertTrue(outcome.get(0).offloaded() && outcome.get(0).detail().startsWith("device reset; backend controller"), outcome.toString());
        assertEquals("offloaded", server.offloads().status().get(0).route());
        assertTrue(server.offloads().events().recent().stream().anyMatch(e -> e.kind().equals("BACKEND_RECOVERED")
                && e.provider().equals("emulated")), "BACKEND_RECOVERED in " + server.offloads().events().recent());
        try (KernelNvmeHost.Connection c = KernelNvmeHost.connect("rdma", NQN, Rxe.address(), SERVICE)) {
            assertEquals(0, Fio.job("after-recovery", c.blockDevices().get(0)).verifiedRandomWrite("4k", "2M", 8).run().error());
        }
        assertTrue(engine(1).writeCommands() >= engineWrites + 512, "offload resumed on the recovered backend: " + engine(1));
        IllegalStateException again = assertThrows(IllegalStateException.class, () -> server.offloads().recoverAfterPciError(null, NQN));
        assertTrue(again.getMessage().contains("nothing to recover"), again.getMessage());
    }

    @Test
    void aTimeoutDuringFioVerifyRecreatesTheBackendAndOffloadResumes() throws Exception {
        startDefault();
        assertFaultSurvived(device -> device.dropCompletions(4), "NVME_TIMEOUT", "BACKEND_RECREATED");
        OffloadNamespaceStatus st = server.offloads().status().get(0);
        assertEquals("offloaded", st.route());
        long before = engine(1).writeCommands();
        try (KernelNvmeHost.Connection c = KernelNvmeHost.connect("rdma", NQN, Rxe.address(), SERVICE)) {
            assertEquals(0, Fio.job("after-recreate", c.blockDevices().get(0)).verifiedRandomWrite("4k", "2M", 8).run().error());
        }
        assertTrue(engine(1).writeCommands() >= before + 512, "offload resumed on the recreated backend controller");
    }

    private void assertFaultSurvived(Consumer<EmulatedController> fault, String event, String followUp) throws Exception {
        try (KernelNvmeHost.Connection c = KernelNvmeHost.connect("rdma", NQN, Rxe.address(), SERVICE)) {
            Fio job = Fio.job("fault-verify", c.blockDevices().get(0)).verifiedRandomWrite("4k", "24M", 16)
                    .timeout(Duration.ofMinutes(8));
            CompletableFuture<FioResult> run = CompletableFuture.supplyAsync(job::run);
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (engine(1).writeCommands() < 1000 && System.nanoTime() < deadline && !run.isDone()) {
                Thread.sleep(100);
            }
            fault.accept(server.offloads().backendDevice(1, NQN));
            FioResult fio = run.get();
            List<OffloadEvent> events = server.offloads().events().recent();
            System.out.println("events: " + events + "\nengine: " + engine(1) + "\nsoftware writes: " + software(1).writeCommands.sum());
            assertEquals(0, fio.error(), "fio verify must find every acknowledged write");
            assertEquals(6144, fio.read().ios(), "every written block read back and verified");
            assertTrue(events.stream().anyMatch(e -> e.kind().equals(event) && e.provider().equals("emulated")), event + " in " + events);
            assertTrue(events.stream().anyMatch(e -> e.kind().equals(followUp)), followUp + " in " + events);
            assertTrue(engine(1).backendErrorCommands() > 0 || events.size() >= 2, "the fault is counted: " + engine(1));
        }
    }
}
