package io.nvmfoffload.offload.emulated;

import io.nvmfoffload.nvme.spec.SubmissionQueueEntry;
import io.nvmfoffload.nvmf.transport.rdma.SendBatches;

import java.lang.foreign.MemorySegment;

/**
 * One staging-buffer slot and the command using it: the front-end SQE, where the host's buffer is,
 * and which backend controller runs it. Made once per slot and reused; its moves are checked
 * ({@link OffloadCommandState#canMoveTo}).
 */
final class OffloadedCommand {
    final int index;
    /** The slot's data area in the staging buffer; its address is what the backend's PRPs carry. */
    final MemorySegment data;
    /** Native address of {@link #data}. */
    final long dataAddress;
    /** Offset of the data area in the staging buffer's memory region (what RDMA SGEs carry). */
    final long dataMrOffset;
    /** The page after the data area, for the PRP list of a transfer over more than two pages. */
    final MemorySegment prpList;
    /** The front-end SQE, copied out of the receive buffer. */
    final MemorySegment sqe;
    /** A view of {@link #sqe}, made once. */
    final SubmissionQueueEntry front;
    /** The 16-byte response capsule (the CQE) the engine sends, in the context's registered response area. */
    final MemorySegment response;

    OffloadCommandState state = OffloadCommandState.FREE;
    QpAttachment queue;
    EmulatedBackendController backend;
    int frontendNsid;
    /** The NVM command set opcode, or -1 for a capsule the engine only answers (retry status). */
    int opcode;
    int length;
    int blocks;
    boolean inCapsule;
    long remoteAddress;
    int remoteKey;
    /** The response goes out as Send with Invalidate of {@link #remoteKey}: the host's SGL asked, the device can. */
    boolean invalidateKey;
    /** The housekeeping clock when the command was first seen at the backend (0: not yet), for the timeout. */
    long submittedAt;
    /** The flow's clock when the capsule arrived (a read or write), for the latency counters. */
    long receivedAt;
    /** The command was at its backend when that failed or was released: it could still write the slot, so answering does not free it. */
    boolean backendMayWrite;
    /** This command's chain (its two entries of the context's work requests): posted at once, handed off or batched. */
    final SendBatches.Link<OffloadedCommand> link = new SendBatches.Link<>(this);

    OffloadedCommand(int index, MemorySegment data, long dataMrOffset, MemorySegment prpList, MemorySegment sqe, MemorySegment response) {
        this.index = index;
        this.data = data;
        this.dataAddress = data.address();
        this.dataMrOffset = dataMrOffset;
        this.prpList = prpList;
        this.sqe = sqe;
        this.front = new SubmissionQueueEntry(sqe, 0);
        this.response = response;
    }

    /** Moves to {@code next}; an illegal move is a bug of the engine's and throws. */
    void transition(OffloadCommandState next) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("offload command " + index + ": illegal transition " + state + " -> " + next);
        }
        state = next;
    }

    /** Takes the SQE at {@code base} of {@code capsule} and what the classifier found in it, for {@code queue}. */
    void accept(QpAttachment queue, MemorySegment capsule, long base, ClassifiedCapsule found, boolean invalidateKey) {
        MemorySegment.copy(capsule, base, sqe, 0, SubmissionQueueEntry.SIZE);
        this.queue = queue;
        this.backend = found.route.controller;
        this.frontendNsid = found.route.mapping.frontendNsid();
        this.opcode = found.opcode;
        this.length = found.length;
        this.blocks = found.blocks;
        this.inCapsule = found.inCapsule;
        this.remoteAddress = found.remoteAddress;
        this.remoteKey = found.remoteKey;
        this.invalidateKey = invalidateKey;
    }

    /** Takes the SQE of a capsule the engine can no longer execute and only answers. */
    void acceptForAnswer(QpAttachment queue, MemorySegment capsule, long base) {
        MemorySegment.copy(capsule, base, sqe, 0, SubmissionQueueEntry.SIZE);
        this.queue = queue;
        this.opcode = -1;
    }

    /** Back to FREE, forgetting its queue and backend. */
    void clear() {
        transition(OffloadCommandState.FREE);
        queue = null;
        backend = null;
        receivedAt = 0;
        backendMayWrite = false;
        invalidateKey = false;
    }

    @Override
    public String toString() {
        return "offload command " + index + " (" + state + ")";
    }
}
