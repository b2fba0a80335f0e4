package io.nvmfoffload.nvme.emu;

import io.nvmfoffload.nvme.spec.CompletionQueueEntry;
import io.nvmfoffload.nvme.spec.ControllerRegisters;
import io.nvmfoffload.nvme.spec.Ordered;

import java.lang.foreign.MemorySegment;

/**
 * Device-side state of one completion ring. The device learns how far the host has consumed only
 * from the CQ head doorbell, and never posts into a slot the host has not released: a ring of N
 * entries holds at most N - 1 completions.
 */
final class EmulatedCompletionQueue {
    final int qid;
    final MemorySegment ring;
    final int entries;
    final long headDoorbell;
    final CompletionQueueEntry cqe = new CompletionQueueEntry();
    int tail;
    boolean phase = true;
    int head;
    int submissionQueues;

    EmulatedCompletionQueue(int qid, MemorySegment ring, int entries, long headDoorbell) {
        this.qid = qid;
        this.ring = ring;
        this.entries = entries;
        this.headDoorbell = headDoorbell;
    }

    /** Whether a completion can be posted now, re-reading the head doorbell if the ring looks full. */
    boolean hasRoom(MemorySegment bar) {
        int next = tail + 1 == entries ? 0 : tail + 1;
        if (next != head) {
            return true;
        }
        int h = Ordered.getIntAcquire(bar, headDoorbell);
        if (h >= 0 && h < entries) {
            head = h;
        }
        return next != head;
    }

    void post(int dw0, int sqHead, int sqId, int cid, int status) {
        cqe.wrap(ring, (long) tail * CompletionQueueEntry.SIZE).post(dw0, 0, sqHead, sqId, cid, status, phase);
        if (++tail == entries) {
            tail = 0;
            phase = !phase;
        }
    }

    static long doorbell(int qid, int dstrd) {
        return ControllerRegisters.cqHeadDoorbell(qid, dstrd);
    }
}
