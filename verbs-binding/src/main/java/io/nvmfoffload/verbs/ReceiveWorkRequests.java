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
 * A native array of {@code struct ibv_recv_wr} with their SGEs, built once and reused for every
 * post to a QP or SRQ, like {@link SendWorkRequests}. Not thread-safe.
 */
public final class ReceiveWorkRequests implements AutoCloseable {
    static final long WR_SIZE = IbvLayouts.IBV_RECV_WR.byteSize();
    static final long SGE_SIZE = IbvLayouts.IBV_SGE.byteSize();

    private final Arena arena;
    private final MemorySegment requests;
    private final int capacity;
    private final int maxSge;
    /**
     * Entry i onwards as a segment for C, made once (slicing per post would allocate) and unscoped
     * (see {@link Unscoped}); {@link #closed} guards it.
     */
    private final MemorySegment[] fromEntry;
    private final ReceiveWorkRequest[] views;
    private volatile boolean closed;

    public ReceiveWorkRequests(int capacity, int maxSge) {
        if (capacity < 1 || maxSge < 1) {
            throw new IllegalArgumentException("need at least one work request and one SGE each, not "
                    + capacity + " and " + maxSge);
        }
        this.arena = Arena.ofShared();
        this.requests = arena.allocate(WR_SIZE * capacity, IbvLayouts.IBV_RECV_WR.byteAlignment());
        MemorySegment sges = arena.allocate(SGE_SIZE * capacity * maxSge, IbvLayouts.IBV_SGE.byteAlignment());
        this.capacity = capacity;
        this.maxSge = maxSge;
        this.views = new ReceiveWorkRequest[capacity];
        this.fromEntry = new MemorySegment[capacity];
        for (int i = 0; i < capacity; i++) {
            MemorySegment sgeList = sges.asSlice(SGE_SIZE * maxSge * i, SGE_SIZE * maxSge);
            requests.set(ADDRESS, WR_SIZE * i + IbvOffsets.RECV_WR_SG_LIST, sgeList);
            views[i] = new ReceiveWorkRequest(requests, WR_SIZE * i, sgeList, maxSge);
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
    public ReceiveWorkRequest get(int i) {
        return views[i];
    }

    MemorySegment chain(int first, int count) {
        if (closed) {
            throw new IllegalStateException("this receive request array is closed");
        }
        if (first < 0 || count < 1 || first + count > capacity) {
            throw new IndexOutOfBoundsException("cannot post " + count + " receives from index " + first
                    + " of an array of " + capacity);
        }
        long last = WR_SIZE * (first + count - 1);
        for (long off = WR_SIZE * first; off < last; off += WR_SIZE) {
            requests.set(JAVA_LONG, off + IbvOffsets.RECV_WR_NEXT, requests.address() + off + WR_SIZE);
        }
        requests.set(JAVA_LONG, last + IbvOffsets.RECV_WR_NEXT, 0L);
        return fromEntry[first];
    }

    int indexOf(long address) {
        long off = address - requests.address();
        return off < 0 || off >= WR_SIZE * capacity ? -1 : (int) (off / WR_SIZE);
    }

    @Override
    public void close() {
        closed = true;
        arena.close();
    }
}
