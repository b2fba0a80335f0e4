package io.nvmfoffload.verbs;

import io.nvmfoffload.verbs.ffi.IbvOffsets;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A view of one {@code struct ibv_send_wr} in a {@link SendWorkRequests} array. Setters write
 * straight into native memory and return this view for chaining; nothing is allocated.
 */
public final class SendWorkRequest {
    private final MemorySegment requests;
    private final long base;
    private final MemorySegment sges;
    private final int maxSge;

    SendWorkRequest(MemorySegment requests, long base, MemorySegment sges, int maxSge) {
        this.requests = requests;
        this.base = base;
        this.sges = sges;
        this.maxSge = maxSge;
    }

    /** Clears opcode, flags, immediate data and SGEs, so that nothing of the previous use leaks into this one. */
    public SendWorkRequest reset() {
        requests.set(JAVA_LONG, base + IbvOffsets.SEND_WR_WR_ID, 0L);
        requests.set(JAVA_INT, base + IbvOffsets.SEND_WR_NUM_SGE, 0);
        requests.set(JAVA_INT, base + IbvOffsets.SEND_WR_OPCODE, WrOpcode.SEND.value());
        requests.set(JAVA_INT, base + IbvOffsets.SEND_WR_SEND_FLAGS, 0);
        requests.set(JAVA_INT, base + IbvOffsets.SEND_WR_IMM_DATA, 0);
        requests.set(JAVA_LONG, base + IbvOffsets.SEND_WR_RDMA_REMOTE_ADDR, 0L);
        requests.set(JAVA_INT, base + IbvOffsets.SEND_WR_RDMA_RKEY, 0);
        return this;
    }

    public SendWorkRequest wrId(long wrId) {
        requests.set(JAVA_LONG, base + IbvOffsets.SEND_WR_WR_ID, wrId);
        return this;
    }

    public long wrId() {
        return requests.get(JAVA_LONG, base + IbvOffsets.SEND_WR_WR_ID);
    }

    public SendWorkRequest opcode(WrOpcode opcode) {
        requests.set(JAVA_INT, base + IbvOffsets.SEND_WR_OPCODE, opcode.value());
        return this;
    }

    /** Replaces all send flags with the OR of {@link SendFlag} values. */
    public SendWorkRequest flags(int sendFlags) {
        requests.set(JAVA_INT, base + IbvOffsets.SEND_WR_SEND_FLAGS, sendFlags);
        return this;
    }

    private SendWorkRequest flag(SendFlag flag, boolean on) {
        int flags = requests.get(JAVA_INT, base + IbvOffsets.SEND_WR_SEND_FLAGS);
        return flags(on ? flags | flag.value() : flags & ~flag.value());
    }

    /** Asks for a completion even if the QP does not signal every request. */
    public SendWorkRequest signaled(boolean on) {
        return flag(SendFlag.SIGNALED, on);
    }

    /** Copies the SGEs' bytes into the work request at post time; the lkeys are then ignored. */
    public SendWorkRequest inline(boolean on) {
        return flag(SendFlag.INLINE, on);
    }

    public SendWorkRequest fence(boolean on) {
        return flag(SendFlag.FENCE, on);
    }

    public SendWorkRequest solicited(boolean on) {
        return flag(SendFlag.SOLICITED, on);
    }

    /** Immediate data for SEND_WITH_IMM and RDMA_WRITE_WITH_IMM, in host order (stored in network order). */
    public SendWorkRequest immediateData(int value) {
        requests.set(JAVA_INT, base + IbvOffsets.SEND_WR_IMM_DATA, Integer.reverseBytes(value));
        return this;
    }

    /**
     * The peer's rkey that a SEND_WITH_INV invalidates on arrival ({@code invalidate_rkey}, host
     * order, in the union it shares with {@code imm_data}).
     */
    public SendWorkRequest invalidateRkey(int rkey) {
        requests.set(JAVA_INT, base + IbvOffsets.SEND_WR_IMM_DATA, rkey);
        return this;
    }

    /** The peer's memory for RDMA WRITE and READ: {@code wr.rdma.remote_addr} and {@code wr.rdma.rkey}. */
    public SendWorkRequest remote(long remoteAddress, int rkey) {
        requests.set(JAVA_LONG, base + IbvOffsets.SEND_WR_RDMA_REMOTE_ADDR, remoteAddress);
        requests.set(JAVA_INT, base + IbvOffsets.SEND_WR_RDMA_RKEY, rkey);
        return this;
    }

    /** Appends a scatter/gather entry of raw address, length and lkey. */
    public SendWorkRequest addSge(long address, int length, int lkey) {
        int n = requests.get(JAVA_INT, base + IbvOffsets.SEND_WR_NUM_SGE);
        if (n == maxSge) {
            throw new IndexOutOfBoundsException("a work request of this array holds at most " + maxSge + " SGEs");
        }
        long off = n * SendWorkRequests.SGE_SIZE;
        sges.set(JAVA_LONG, off + IbvOffsets.SGE_ADDR, address);
        sges.set(JAVA_INT, off + IbvOffsets.SGE_LENGTH, length);
        sges.set(JAVA_INT, off + IbvOffsets.SGE_LKEY, lkey);
        requests.set(JAVA_INT, base + IbvOffsets.SEND_WR_NUM_SGE, n + 1);
        return this;
    }

    /** Appends {@code length} bytes at {@code offset} of a registered region. */
    public SendWorkRequest addSge(MemoryRegion mr, long offset, int length) {
        return addSge(mr.address() + offset, length, mr.lkey());
    }

    public int sgeCount() {
        return requests.get(JAVA_INT, base + IbvOffsets.SEND_WR_NUM_SGE);
    }
}
