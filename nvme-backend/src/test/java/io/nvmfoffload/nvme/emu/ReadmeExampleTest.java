package io.nvmfoffload.nvme.emu;

import io.nvmfoffload.nvme.driver.HostQueuePair;
import io.nvmfoffload.nvme.driver.NvmeHost;
import io.nvmfoffload.nvme.spec.CompletionQueueEntry;
import io.nvmfoffload.nvme.spec.NvmOpcode;
import io.nvmfoffload.nvme.spec.SubmissionQueueEntry;
import io.nvmfoffload.nvme.store.NamespaceStore;
import io.nvmfoffload.nvme.store.RamNamespaceStore;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The README's controller example, kept compiling and working. */
class ReadmeExampleTest {

    @Test
    void readmeExampleWritesAStagingBufferThroughTheRings() {
        DmaSpace dma = new DmaSpace();
        try (Arena arena = Arena.ofShared();
             NamespaceStore ns = RamNamespaceStore.create("ns1", 4096, 1 << 18);
             EmulatedController ctrl = EmulatedController.builder(dma).namespace(ns).build();
             NvmeHost host = new NvmeHost(ctrl.registers(), dma, Thread::onSpinWait, Duration.ofSeconds(5))) {
            ctrl.start();
            host.enable(32);
            HostQueuePair qp = host.createIoQueuePair(1, 128);

            MemorySegment staging = arena.allocate(1 << 20, 4096);
            DmaRegion region = dma.register(staging);
            staging.set(ValueLayout.JAVA_BYTE, 0, (byte) 42);

            SubmissionQueueEntry sqe = qp.nextSubmission();
            sqe.opcode(NvmOpcode.WRITE).cid(1).nsid(1).slba(0).blockCount(1).prp1(region.addressOf(0));
            qp.submit();
            CompletionQueueEntry cqe;
            while ((cqe = qp.peekCompletion()) == null) {
                Thread.onSpinWait();
            }
            int status = cqe.status();
            qp.release();

            assertEquals(0, status);
            MemorySegment back = MemorySegment.ofArray(new byte[4096]);
            ns.read(0, 1, back);
            assertEquals(42, back.get(ValueLayout.JAVA_BYTE, 0));
        }
    }
}
