package io.nvmfoffload.verbs;

import io.nvmfoffload.verbs.ffi.IbvLayouts;
import io.nvmfoffload.verbs.ffi.IbvOffsets;
import io.nvmfoffload.verbs.ffi.Unscoped;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static io.nvmfoffload.verbs.ffi.IbvOffsets.WC_BYTE_LEN;
import static io.nvmfoffload.verbs.ffi.IbvOffsets.WC_IMM_DATA;
import static io.nvmfoffload.verbs.ffi.IbvOffsets.WC_OPCODE;
import static io.nvmfoffload.verbs.ffi.IbvOffsets.WC_QP_NUM;
import static io.nvmfoffload.verbs.ffi.IbvOffsets.WC_SRC_QP;
import static io.nvmfoffload.verbs.ffi.IbvOffsets.WC_STATUS;
import static io.nvmfoffload.verbs.ffi.IbvOffsets.WC_VENDOR_ERR;
import static io.nvmfoffload.verbs.ffi.IbvOffsets.WC_WC_FLAGS;
import static io.nvmfoffload.verbs.ffi.IbvOffsets.WC_WR_ID;

/**
 * A native array of {@code struct ibv_wc}, allocated once and filled by every
 * {@link CompletionQueue#poll}. The accessors read the C fields in place; none of them allocates,
 * so a poll loop produces no garbage. Not thread-safe: one poller per array.
 */
public final class WorkCompletions implements AutoCloseable {
    private static final long STRIDE = IbvLayouts.IBV_WC.byteSize();

    private final Arena arena;
    private final MemorySegment array;
    /** What poll_cq writes into: {@link #array} without arena tracking (see {@link Unscoped}). */
    private final MemorySegment forC;
    private volatile boolean closed;
    private final int capacity;
    private int count;

    public WorkCompletions(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a completion array needs at least one entry, not " + capacity);
        }
        this.arena = Arena.ofShared();
        this.array = arena.allocate(STRIDE * capacity, IbvLayouts.IBV_WC.byteAlignment());
        this.forC = Unscoped.view(array);
        this.capacity = capacity;
    }

    /** The array for poll_cq; fails once closed, so C never writes into freed memory. */
    MemorySegment segment() {
        if (closed) {
            throw new IllegalStateException("this work completion array is closed");
        }
        return forC;
    }

    void setCount(int count) {
        this.count = count;
    }

    public int capacity() {
        return capacity;
    }

    /** How many entries the last poll wrote. */
    public int count() {
        return count;
    }

    private long base(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("completion " + i + " of " + count + " polled");
        }
        return i * STRIDE;
    }

    public long wrId(int i) {
        return array.get(JAVA_LONG, base(i) + WC_WR_ID);
    }

    /** The C status value; {@link WcStatus#of} or {@link #status} name it. */
    public int statusValue(int i) {
        return array.get(JAVA_INT, base(i) + WC_STATUS);
    }

    public WcStatus status(int i) {
        return WcStatus.of(statusValue(i));
    }

    public boolean isSuccess(int i) {
        return statusValue(i) == 0;
    }

    public WcOpcode opcode(int i) {
        return WcOpcode.of(array.get(JAVA_INT, base(i) + WC_OPCODE));
    }

    public int vendorError(int i) {
        return array.get(JAVA_INT, base(i) + WC_VENDOR_ERR);
    }

    /** Bytes received (receive completions) or transferred (RDMA READ). */
    public int byteLength(int i) {
        return array.get(JAVA_INT, base(i) + WC_BYTE_LEN);
    }

    public boolean hasImmediateData(int i) {
        return (array.get(JAVA_INT, base(i) + WC_WC_FLAGS) & WcFlag.WITH_IMM.value()) != 0;
    }

    /** The immediate data in host order (C carries it in network order). */
    public int immediateData(int i) {
        return Integer.reverseBytes(array.get(JAVA_INT, base(i) + WC_IMM_DATA));
    }

    public int qpNumber(int i) {
        return array.get(JAVA_INT, base(i) + WC_QP_NUM);
    }

    public int sourceQp(int i) {
        return array.get(JAVA_INT, base(i) + WC_SRC_QP);
    }

    public int flags(int i) {
        return array.get(JAVA_INT, base(i) + WC_WC_FLAGS);
    }

    /** Throws {@link WorkCompletionException} naming the status if completion {@code i} failed. */
    public void requireSuccess(int i) {
        int status = statusValue(i);
        if (status != 0) {
            throw new WorkCompletionException(describe(i), status, wrId(i), vendorError(i));
        }
    }

    /** e.g. "IBV_WC_LOC_PROT_ERR (4) for wr_id 0x7 on QP 0x11, vendor error 0x0". */
    public String describe(int i) {
        int status = statusValue(i);
        WcOpcode opcode = opcode(i);
        return WcStatus.nameOf(status) + " (" + status + ") for wr_id 0x" + Long.toHexString(wrId(i))
                + (status == 0 && opcode != null ? " (" + opcode.cName() + ", " + byteLength(i) + " bytes)" : "")
                + " on QP 0x" + Integer.toHexString(qpNumber(i)) + ", vendor error 0x" + Integer.toHexString(vendorError(i));
    }

    @Override
    public void close() {
        closed = true;
        count = 0;
        arena.close();
    }
}
