package io.nvmfoffload.nvme.emu;

import io.nvmfoffload.nvme.driver.HostQueuePair;
import io.nvmfoffload.nvme.driver.NvmeHost;
import io.nvmfoffload.nvme.spec.AdminOpcode;
import io.nvmfoffload.nvme.spec.ControllerRegisters;
import io.nvmfoffload.nvme.store.RamNamespaceStore;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ControllerLifecycleTest {

    private static EmuFixture disabled() {
        return new EmuFixture(RamNamespaceStore.create("lifecycle", 4096, 64), b -> b.doorbellStride(1)
                .maxQueueEntries(256).readyTimeout(java.time.Duration.ofSeconds(3)), false);
    }

    @Test
    void capAndVersionDescribeTheController() {
        try (EmuFixture f = disabled()) {
            ControllerRegisters r = f.ctrl.registers();
            long cap = r.cap();
            assertEquals(256, ControllerRegisters.capMqes(cap));
            assertEquals(1, ControllerRegisters.capDstrd(cap));
            assertEquals(6, ControllerRegisters.capTimeout(cap));
            assertEquals(1, ControllerRegisters.capCss(cap) & 1);
            assertTrue(ControllerRegisters.capCqr(cap));
            assertEquals(0x00020000, r.vs());
        }
    }

    @Test
    void readyFollowsEnableOnlyOnceTheControllerHasSeenIt() {
        try (EmuFixture f = disabled(); Arena a = Arena.ofConfined()) {
            ControllerRegisters r = f.ctrl.registers();
            MemorySegment asq = a.allocate(4096, 4096);
            MemorySegment acq = a.allocate(4096, 4096);
            f.dma.register(asq);
            f.dma.register(acq);
            r.aqa(ControllerRegisters.aqa(4, 4));
            r.asq(asq.address());
            r.acq(acq.address());
            r.cc(ControllerRegisters.ccEnable(0, 6, 4));
            assertFalse(ControllerRegisters.cstsRdy(r.csts()), "RDY must wait for the device to act on CC.EN");
            f.ctrl.poll();
            assertTrue(ControllerRegisters.cstsRdy(r.csts()));
            r.cc(0);
            f.ctrl.poll();
            assertEquals(0, r.csts());
        }
    }

    @Test
    void shutdownFlushesAndReportsShutdownCompleteThenProcessesNothing() {
        DmaSpace dma = new DmaSpace();
        CountingStore store = new CountingStore(RamNamespaceStore.create("shutdown", 4096, 64));
        try (EmulatedController c = EmulatedController.builder(dma).namespace(store).build();
             NvmeHost host = new NvmeHost(c.registers(), dma, c::poll, Duration.ofSeconds(3))) {
            host.enable(4);
            host.shutdown();
            int csts = c.registers().csts();
            assertEquals(ControllerRegisters.CSTS_SHST_COMPLETE, ControllerRegisters.cstsShst(csts));
            assertEquals(1, store.flushes.get());
            HostQueuePair admin = host.admin();
            admin.nextSubmission().opcode(AdminOpcode.KEEP_ALIVE).cid(9);
            admin.submit();
            for (int i = 0; i < 3; i++) {
                assertEquals(0, c.poll());
            }
            assertNull(admin.peekCompletion(), "a shut-down controller processes no commands");
            host.disable();
            host.enable(4);
            assertNotNull(host.identifyController());
        } finally {
            store.close();
        }
    }

    @Test
    void enableWithAnUnmappedAdminQueueIsFatal() {
        try (EmuFixture f = disabled()) {
            ControllerRegisters r = f.ctrl.registers();
            r.aqa(ControllerRegisters.aqa(4, 4));
            r.asq(0x7000_0000_0000L);
            r.acq(0x7000_0001_0000L);
            r.cc(ControllerRegisters.ccEnable(0, 6, 4));
            f.ctrl.poll();
            assertTrue(ControllerRegisters.cstsCfs(r.csts()));
            assertFalse(ControllerRegisters.cstsRdy(r.csts()));
            assertTrue(f.ctrl.fatalReason().contains("ASQ"), f.ctrl.fatalReason());
        }
    }

    @Test
    void enableWithWrongQueueEntrySizesIsFatal() {
        try (EmuFixture f = disabled()) {
            ControllerRegisters r = f.ctrl.registers();
            r.cc(ControllerRegisters.ccEnable(0, 7, 4));
            f.ctrl.poll();
            assertTrue(ControllerRegisters.cstsCfs(r.csts()));
            assertTrue(f.ctrl.fatalReason().contains("IOSQES"), f.ctrl.fatalReason());
            r.cc(0);
            f.ctrl.poll();
            assertNull(f.ctrl.fatalReason(), "reset clears the fatal status");
        }
    }

    @Test
    void resetDeletesIoQueues() {
        try (EmuFixture f = new EmuFixture()) {
            HostQueuePair qp = f.host.createIoQueuePair(1, 8);
            f.host.disable();
            f.host.enable(8);
            // The old SQ 1 is gone, so its ID is free again.
            assertTrue(f.host.createCompletionQueue(1, 8, qp.cqAddress()).isSuccess());
            qp.close();
        }
    }
}
