package io.nvmfoffload.offload;

import io.nvmfoffload.nvme.driver.HostQueuePair;
import io.nvmfoffload.nvme.spec.CompletionQueueEntry;
import io.nvmfoffload.nvme.spec.SubmissionQueueEntry;
import io.nvmfoffload.verbs.Access;
import io.nvmfoffload.verbs.MemoryRegion;
import io.nvmfoffload.verbs.ProtectionDomain;
import io.nvmfoffload.verbs.nvmf.MemoryRange;

import java.lang.foreign.MemorySegment;

/**
 * One I/O queue pair reserved on the backend device for the NIC, with its rings registered as
 * memory regions so the offload verbs can be given them as {@code {mr, addr, len}}.
 */
final class BackendQueue implements AutoCloseable {
    final HostQueuePair queuePair;
    final MemoryRegion sqMr;
    final MemoryRegion cqMr;

    BackendQueue(HostQueuePair queuePair, ProtectionDomain pd) {
        this.queuePair = queuePair;
        long sqBytes = pageRound((long) queuePair.entries() * SubmissionQueueEntry.SIZE);
        long cqBytes = pageRound((long) queuePair.entries() * CompletionQueueEntry.SIZE);
        this.sqMr = pd.registerMemory(MemorySegment.ofAddress(queuePair.sqAddress()).reinterpret(sqBytes), Access.LOCAL_WRITE);
        try {
            this.cqMr = pd.registerMemory(MemorySegment.ofAddress(queuePair.cqAddress()).reinterpret(cqBytes), Access.LOCAL_WRITE);
        } catch (RuntimeException e) {
            sqMr.close();
            throw e;
        }
    }

    private static long pageRound(long v) {
        return (v + 4095) & ~4095L;
    }

    MemoryRange sqRange() {
        return MemoryRange.of(sqMr, 0, (long) queuePair.entries() * SubmissionQueueEntry.SIZE);
    }

    MemoryRange cqRange() {
        return MemoryRange.of(cqMr, 0, (long) queuePair.entries() * CompletionQueueEntry.SIZE);
    }

    /** Deregisters the rings; the queue pair itself is deleted (or abandoned) by the caller. */
    @Override
    public void close() {
        cqMr.close();
        sqMr.close();
    }
}
