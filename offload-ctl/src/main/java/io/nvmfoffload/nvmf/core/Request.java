package io.nvmfoffload.nvmf.core;

import io.nvmfoffload.nvme.spec.CompletionQueueEntry;
import io.nvmfoffload.nvme.spec.SubmissionQueueEntry;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;

/**
 * One command slot of a queue, reused for every command that lands in it (nothing is allocated per
 * I/O). The transport copies the 64-byte capsule into {@link #command()}, points {@link #data} at a
 * buffer of the command's transfer length, and hands the request to {@link NvmfQueue#execute}; the
 * core fills {@link #response()} and calls back {@link QueueTransport#complete}.
 */
public final class Request {
    private final MemorySegment command;
    private final MemorySegment response;
    private final SubmissionQueueEntry sqe;
    private final CompletionQueueEntry cqe;
    private final int slot;
    private RequestTracer tracer = RequestTracer.NONE;
    private RequestState state = RequestState.FREE;
    private MemorySegment data = MemorySegment.NULL;
    private java.nio.channels.FileChannel transferChannel;
    private long transferPosition;
    private NvmfQueue queue;
    /** Opaque per-request state of the transport (its buffer, its SGL, its PDU). */
    public Object transportContext;

    /** @param memory where the SQE and the CQE live: registered memory for RDMA, any for TCP */
    public Request(SegmentAllocator memory, int slot) {
        this.command = memory.allocate(SubmissionQueueEntry.SIZE, 8);
        this.response = memory.allocate(CompletionQueueEntry.SIZE, 8);
        this.sqe = new SubmissionQueueEntry(command, 0);
        this.cqe = new CompletionQueueEntry(response, 0);
        this.slot = slot;
    }

    public MemorySegment command() {
        return command;
    }

    public MemorySegment response() {
        return response;
    }

    public SubmissionQueueEntry sqe() {
        return sqe;
    }

    public CompletionQueueEntry cqe() {
        return cqe;
    }

    public int slot() {
        return slot;
    }

    public RequestState state() {
        return state;
    }

    public void tracer(RequestTracer tracer) {
        this.tracer = tracer;
    }

    /** Moves to {@code next}; an illegal move is a transport bug and fails loudly. */
    public void transition(RequestState next) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException(this + ": illegal transition " + state + " -> " + next);
        }
        RequestState from = state;
        state = next;
        tracer.transition(this, from, next);
    }

    /**
     * Returns a request whose connection died mid-flight to FREE, from whatever state it was in:
     * the only move that skips the lifecycle, and it says so to the tracer.
     */
    public void abandon() {
        RequestState from = state;
        state = RequestState.FREE;
        tracer.transition(this, from, RequestState.FREE);
    }

    /** The command's data buffer; its size is the transfer length the host described. */
    public MemorySegment data() {
        return data;
    }

    public void data(MemorySegment data) {
        this.data = data;
        this.transferChannel = null;
    }

    /**
     * A read whose data the transport sends straight from {@code channel} at {@code position}
     * (sendfile) instead of from {@link #data()}, which stays unread; see
     * {@link QueueTransport#sendsFromFiles(long)}.
     */
    public void sendFrom(java.nio.channels.FileChannel channel, long position) {
        this.transferChannel = channel;
        this.transferPosition = position;
    }

    /** The channel to send this read's data from, or null when the data is in {@link #data()}. */
    public java.nio.channels.FileChannel transferChannel() {
        return transferChannel;
    }

    public long transferPosition() {
        return transferPosition;
    }

    public long dataLength() {
        return data.byteSize();
    }

    public NvmfQueue queue() {
        return queue;
    }

    void queue(NvmfQueue queue) {
        this.queue = queue;
    }

    /** Which way this command's data moves (Fabrics commands take it from FCTYPE). */
    public DataDirection direction() {
        int opcode = sqe.opcode();
        return DataDirection.ofOpcode(opcode == 0x7F ? sqe.fctype() : opcode);
    }

    public boolean succeeded() {
        return cqe.status() == 0;
    }

    @Override
    public String toString() {
        return "request[q" + (queue == null ? "?" : queue.qid()) + " slot " + slot + " cid " + sqe.cid()
                + " opc 0x" + Integer.toHexString(sqe.opcode()) + "]";
    }
}
