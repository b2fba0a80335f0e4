package io.nvmfoffload.nvme.emu;

import io.nvmfoffload.nvme.driver.HostQueuePair;
import io.nvmfoffload.nvme.driver.NvmeHost;
import io.nvmfoffload.nvme.spec.ControllerRegisters;
import io.nvmfoffload.nvme.spec.IdentifyController;
import io.nvmfoffload.nvme.spec.NvmOpcode;
import io.nvmfoffload.nvme.spec.PrpListBuilder;
import io.nvmfoffload.nvme.spec.SubmissionQueueEntry;
import io.nvmfoffload.nvme.store.RamNamespaceStore;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeviceThreadTest {

    @Test
    void theDeviceThreadNoticesDoorbellsWithoutPolling() {
        DmaSpace dma = new DmaSpace();
        try (RamNamespaceStore store = RamNamespaceStore.create("thread", 4096, 256);
             EmulatedController c = EmulatedController.builder(dma).namespace(store)
                     .idlePolicy(Duration.ofMillis(1), Duration.ofMillis(1)).build();
             NvmeHost host = new NvmeHost(c.registers(), dma, Thread::onSpinWait, Duration.ofSeconds(5));
             Arena arena = Arena.ofShared()) {
            c.start();
            assertTrue(c.isRunning());
            host.enable(8);
            assertEquals(1, new IdentifyController(host.identifyController()).nn());
            HostQueuePair qp = host.createIoQueuePair(1, 32);
            MemorySegment buf = arena.allocate(64 * 4096, 4096);
            DmaRegion region = dma.register(buf);
            // More commands than the queue holds, so the ring wraps while the thread runs.
            for (int i = 0; i < 200; i++) {
                int lba = i % 64;
                int cid = i;
                buf.asSlice(lba * 4096L, 4096).fill((byte) i);
                var done = host.execute(qp, s -> {
                    s.opcode(NvmOpcode.WRITE).nsid(1).slba(lba).blockCount(1);
                    PrpListBuilder.fill(s, region.addressOf(lba * 4096L), 4096, 4096, null);
                    s.cid(cid);
                });
                assertTrue(done.isSuccess(), "write " + i + ": " + done);
            }
            MemorySegment back = MemorySegment.ofArray(new byte[4096]);
            store.read(199 % 64, 1, back);
            assertEquals((byte) 199, back.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0));
            host.shutdown();
        }
    }

    @Test
    void pollIsRefusedWhileTheDeviceThreadRunsAndAllowedAfterStop() {
        DmaSpace dma = new DmaSpace();
        try (RamNamespaceStore store = RamNamespaceStore.create("poll", 512, 8);
             EmulatedController c = EmulatedController.builder(dma).namespace(store).build()) {
            c.start();
            assertThrows(IllegalStateException.class, c::poll);
            c.stop();
            assertFalse(c.isRunning());
            assertEquals(0, c.poll());
        }
    }

    @Test
    void anInjectedFatalErrorReachesTheHostFromAnotherThread() throws Exception {
        DmaSpace dma = new DmaSpace();
        try (RamNamespaceStore store = RamNamespaceStore.create("fatal", 512, 8);
             EmulatedController c = EmulatedController.builder(dma).namespace(store).build();
             NvmeHost host = new NvmeHost(c.registers(), dma, Thread::onSpinWait, Duration.ofSeconds(5))) {
            c.start();
            host.enable(4);
            c.injectFatalError("link down");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!ControllerRegisters.cstsCfs(c.registers().csts()) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertTrue(ControllerRegisters.cstsCfs(c.registers().csts()));
            SubmissionQueueEntry s = host.admin().nextSubmission();
            s.opcode(0x18).cid(1);
            host.admin().submit();
            Thread.sleep(20);
            assertEquals(null, host.admin().peekCompletion());
        }
    }
}
