package io.nvmfoffload.nvme.emu;

import java.lang.foreign.MemorySegment;

/** Device-side state of one submission ring: where it is, where the device has read up to. */
final class SubmissionQueue {
    final int qid;
    final MemorySegment ring;
    final int entries;
    final long tailDoorbell;
    final EmulatedCompletionQueue cq;
    int head;
    /** The last tail value we saw that was out of range, so the warning is logged once per value. */
    int badTail = -1;

    SubmissionQueue(int qid, MemorySegment ring, int entries, long tailDoorbell, EmulatedCompletionQueue cq) {
        this.qid = qid;
        this.ring = ring;
        this.entries = entries;
        this.tailDoorbell = tailDoorbell;
        this.cq = cq;
    }
}
