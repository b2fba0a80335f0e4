package io.nvmfoffload.nvme.driver;

import io.nvmfoffload.nvme.emu.DmaRegion;
import io.nvmfoffload.nvme.emu.DmaSpace;
import io.nvmfoffload.nvme.spec.CompletionQueueEntry;
import io.nvmfoffload.nvme.spec.ControllerRegisters;
import io.nvmfoffload.nvme.spec.SubmissionQueueEntry;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The host (or NIC) side of one SQ/CQ pair: writes 64-byte SQEs into the submission ring, rings
 * the tail doorbell with a release store, and consumes completions by phase tag, releasing them
 * through the CQ head doorbell. This is what an offload engine does to a backend controller.
 *
 * <p>Single producer, single consumer: one thread submits and reaps. The rings live in this
 * pair's own arena, page aligned and registered in the {@link DmaSpace}.
 */
public final class HostQueuePair implements AutoCloseable {
    private final int qid;
    private final int entries;
    private final ControllerRegisters regs;
    private final int dstrd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment sqRing;
    private final MemorySegment cqRing;
    private final DmaRegion sqRegion;
    private final DmaRegion cqRegion;
    private final SubmissionQueueEntry sqe = new SubmissionQueueEntry();
    private final CompletionQueueEntry cqe = new CompletionQueueEntry();
    private int sqTail;
    private int sqHead;
    private int cqHead;
    private boolean phase = true;
    private int outstanding;

    public HostQueuePair(int qid, int entries, ControllerRegisters regs, int dstrd, DmaSpace dma, int pageSize) {
        if (entries < 2) {
            throw new IllegalArgumentException("queue " + qid + ": " + entries + " entries; a ring needs at least 2");
        }
        this.qid = qid;
        this.entries = entries;
        this.regs = regs;
        this.dstrd = dstrd;
        this.sqRing = arena.allocate(roundUp((long) entries * SubmissionQueueEntry.SIZE, pageSize), pageSize);
        this.cqRing = arena.allocate(roundUp((long) entries * CompletionQueueEntry.SIZE, pageSize), pageSize);
        this.sqRegion = dma.register(sqRing);
        this.cqRegion = dma.register(cqRing);
    }

    private static long roundUp(long v, int to) {
        return (v + to - 1) / to * to;
    }

    public int qid() {
        return qid;
    }

    public int entries() {
        return entries;
    }

    /** Device address of the submission ring (ASQ or Create I/O SQ PRP1). */
    public long sqAddress() {
        return sqRegion.base();
    }

    public long cqAddress() {
        return cqRegion.base();
    }

    /** Commands submitted and not yet reaped. */
    public int outstanding() {
        return outstanding;
    }

    /** Whether the SQ has a free slot, given the head the controller last reported. */
    public boolean canSubmit() {
        int next = sqTail + 1 == entries ? 0 : sqTail + 1;
        return next != sqHead;
    }

    /**
     * The next free SQ slot, cleared, for the caller to fill; null if the ring is full. Nothing is
     * visible to the controller until {@link #submit()}.
     */
    public SubmissionQueueEntry nextSubmission() {
        if (!canSubmit()) {
            return null;
        }
        return sqe.wrap(sqRing, (long) sqTail * SubmissionQueueEntry.SIZE).clear();
    }

    /** Publishes the slot filled after {@link #nextSubmission()} and rings the SQ tail doorbell. */
    public void submit() {
        advance();
        ringSubmissionDoorbell();
    }

    /** Publishes the slot without ringing, for batching several commands behind one doorbell write. */
    public void advance() {
        sqTail = sqTail + 1 == entries ? 0 : sqTail + 1;
        outstanding++;
    }

    public void ringSubmissionDoorbell() {
        regs.ringSqTail(qid, dstrd, sqTail);
    }

    /**
     * The completion at the CQ head if the controller has posted it (its phase tag matches), else
     * null. The view stays valid until {@link #release()}.
     */
    public CompletionQueueEntry peekCompletion() {
        cqe.wrap(cqRing, (long) cqHead * CompletionQueueEntry.SIZE);
        return cqe.phaseAcquire() == phase ? cqe : null;
    }

    /** Consumes the peeked completion and rings the CQ head doorbell. */
    public void release() {
        consume();
        ringCompletionDoorbell();
    }

    /** Consumes the peeked completion without ringing, for batching. */
    public void consume() {
        sqHead = cqe.sqHead();
        cqHead = cqHead + 1 == entries ? 0 : cqHead + 1;
        if (cqHead == 0) {
            phase = !phase;
        }
        outstanding--;
    }

    public void ringCompletionDoorbell() {
        regs.ringCqHead(qid, dstrd, cqHead);
    }

    @Override
    public void close() {
        sqRegion.close();
        cqRegion.close();
        arena.close();
    }
}
