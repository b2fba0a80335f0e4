package io.nvmfoffload.verbs;

import io.nvmfoffload.verbs.ffi.IbvOffsets;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** A view of one {@code struct ibv_recv_wr}; setters write native memory directly. */
public final class ReceiveWorkRequest {
    private final MemorySegment requests;
    private final long base;
    private final MemorySegment sges;
    private final int maxSge;

    ReceiveWorkRequest(MemorySegment requests, long base, MemorySegment sges, int maxSge) {
        this.requests = requests;
        this.base = base;
        this.sges = sges;
        this.maxSge = maxSge;
    }

    public ReceiveWorkRequest reset() {
        requests.set(JAVA_LONG, base + IbvOffsets.RECV_WR_WR_ID, 0L);
        requests.set(JAVA_INT, base + IbvOffsets.RECV_WR_NUM_SGE, 0);
        return this;
    }

    public ReceiveWorkRequest wrId(long wrId) {
        requests.set(JAVA_LONG, base + IbvOffsets.RECV_WR_WR_ID, wrId);
        return this;
    }

    public ReceiveWorkRequest addSge(long address, int length, int lkey) {
        int n = requests.get(JAVA_INT, base + IbvOffsets.RECV_WR_NUM_SGE);
        if (n == maxSge) {
            throw new IndexOutOfBoundsException("a receive of this array holds at most " + maxSge + " SGEs");
        }
        long off = n * ReceiveWorkRequests.SGE_SIZE;
        sges.set(JAVA_LONG, off + IbvOffsets.SGE_ADDR, address);
        sges.set(JAVA_INT, off + IbvOffsets.SGE_LENGTH, length);
        sges.set(JAVA_INT, off + IbvOffsets.SGE_LKEY, lkey);
        requests.set(JAVA_INT, base + IbvOffsets.RECV_WR_NUM_SGE, n + 1);
        return this;
    }

    public ReceiveWorkRequest addSge(MemoryRegion mr, long offset, int length) {
        return addSge(mr.address() + offset, length, mr.lkey());
    }

    public int sgeCount() {
        return requests.get(JAVA_INT, base + IbvOffsets.RECV_WR_NUM_SGE);
    }
}
