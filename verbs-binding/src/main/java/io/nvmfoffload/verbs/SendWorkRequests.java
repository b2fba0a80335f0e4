package io.nvmfoffload.verbs;

import io.nvmfoffload.verbs.ffi.IbvLayouts;
import io.nvmfoffload.verbs.ffi.IbvOffsets;
import io.nvmfoffload.verbs.ffi.Unscoped;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A native array of {@code struct ibv_send_wr}, each with room for {@code maxSge} scatter/gather
 * entries, built once and reused for every post (DiSNI's "stateful verb call"): a post writes only
 * the fields that change and links the chosen entries into a list, so the hot path allocates
 * nothing. {@link #get(int)} returns a preallocated view of one entry. Not thread-safe.
 *
 * <pre>{@code
 * sends.get(0).reset().wrId(1).opcode(WrOpcode.RDMA_WRITE).signaled(true)
 *      .remote(peerAddress, peerRkey).addSge(mr, 0, 4096);
 * qp.postSend(sends, 0, 1);
 * }</pre>
 */
public final class SendWorkRequests implements AutoCloseable {
    static final long WR_SIZE = IbvLayouts.IBV_SEND_WR.byteSize();
    static final long SGE_SIZE = IbvLayouts.IBV_SGE.byteSize();

    private final Arena arena;
    private final MemorySegment requests;
    private final MemorySegment sges;
    private final int capacity;
    private final int maxSge;
    /**
     * Entry i onwards as a segment for C, made once (slicing per post would allocate) and unscoped
     * (see {@link Unscoped}); {@link #closed} guards it.
     */
    private final MemorySegment[] fromEntry;
    private final SendWorkRequest[] views;
    private volatile boolean closed;

    public SendWorkRequests(int capacity, int maxSge) {
        if (capacity < 1 || maxSge < 1) {
            throw new IllegalArgumentException("need at least one work request and one SGE each, not "
                    + capacity + " and " + maxSge);
        }
        this.arena = Arena.ofShared();
        this.requests = arena.allocate(WR_SIZE * capacity, IbvLayouts.IBV_SEND_WR.byteAlignment());
        this.sges = arena.allocate(SGE_SIZE * capacity * maxSge, IbvLayouts.IBV_SGE.byteAlignment());
        this.capacity = capacity;
        this.maxSge = maxSge;
        this.views = new SendWorkRequest[capacity];
        this.fromEntry = new MemorySegment[capacity];
        for (int i = 0; i < capacity; i++) {
            MemorySegment sgeList = sges.asSlice(SGE_SIZE * maxSge * i, SGE_SIZE * maxSge);
            requests.set(ADDRESS, WR_SIZE * i + IbvOffsets.SEND_WR_SG_LIST, sgeList);
            views[i] = new SendWorkRequest(requests, WR_SIZE * i, sgeList, maxSge);
            fromEntry[i] = Unscoped.view(requests.asSlice(WR_SIZE * i));
        }
    }

    public int capacity() {
        return capacity;
    }

    public int maxSge() {
        return maxSge;
    }

    /** The view of entry {@code i}; the same object every time. */
    public SendWorkRequest get(int i) {
        return views[i];
    }

    /**
     * Links entries [first, first+count) through their {@code next} pointers and points the last
     * one at entry {@code nextFirst} of {@code next} (null: ends the list there), for one
     * {@link QueuePair#postSendLinked} of chains built in several arrays: doorbell batching, one
     * {@code ibv_post_send} for the work of several requests, as SPDK's RDMA transport posts once
     * per poll. Both arrays must stay open until that post.
     */
    public void link(int first, int count, SendWorkRequests next, int nextFirst) {
        chain(first, count);
        if (next != null) {
            if (next.closed) {
                throw new IllegalStateException("cannot link to a closed work request array");
            }
            if (nextFirst < 0 || nextFirst >= next.capacity) {
                throw new IndexOutOfBoundsException("cannot link to entry " + nextFirst + " of an array of " + next.capacity);
            }
            requests.set(JAVA_LONG, WR_SIZE * (first + count - 1) + IbvOffsets.SEND_WR_NEXT, next.requests.address() + WR_SIZE * nextFirst);
        }
    }

    /** Whether {@code address} (as {@link QueuePair#badSendAddress} reports) is one of entries [first, first+count). */
    public boolean holds(long address, int first, int count) {
        long off = address - requests.address();
        return off >= WR_SIZE * first && off < WR_SIZE * (first + count);
    }

    /** The segment for C of the list that starts at entry {@code first}, as linked. */
    MemorySegment linked(int first) {
        if (closed) {
            throw new IllegalStateException("this work request array is closed");
        }
        return fromEntry[first];
    }

    /**
     * Links entries [first, first+count) through their {@code next} pointers, ends the list, and
     * returns the first entry's address.
     */
    MemorySegment chain(int first, int count) {
        if (closed) {
            throw new IllegalStateException("this work request array is closed");
        }
        if (first < 0 || count < 1 || first + count > capacity) {
            throw new IndexOutOfBoundsException("cannot post " + count + " work requests from index " + first
                    + " of an array of " + capacity);
        }
        long last = WR_SIZE * (first + count - 1);
        for (long off = WR_SIZE * first; off < last; off += WR_SIZE) {
            requests.set(JAVA_LONG, off + IbvOffsets.SEND_WR_NEXT, requests.address() + off + WR_SIZE);
        }
        requests.set(JAVA_LONG, last + IbvOffsets.SEND_WR_NEXT, 0L);
        return fromEntry[first];
    }

    /** Index of the entry at {@code address}, for reporting which request C rejected; -1 if none. */
    int indexOf(long address) {
        long off = address - requests.address();
        return off < 0 || off >= WR_SIZE * capacity ? -1 : (int) (off / WR_SIZE);
    }

    int numSge(int i) {
        return requests.get(JAVA_INT, WR_SIZE * i + IbvOffsets.SEND_WR_NUM_SGE);
    }

    @Override
    public void close() {
        closed = true;
        arena.close();
    }
}
