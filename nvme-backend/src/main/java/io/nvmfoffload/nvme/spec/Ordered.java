package io.nvmfoffload.nvme.spec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Ordered (acquire/release) access to 32- and 64-bit little-endian words in shared memory: the
 * words another agent polls, such as doorbells, CQE phase dwords and register values. The
 * addresses must be naturally aligned, as they are on real hardware.
 */
public final class Ordered {
    // Aligned layouts: only these var handles offer acquire/release and CAS access modes.
    private static final VarHandle INT = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();

    private Ordered() {
    }

    public static int getIntAcquire(MemorySegment s, long off) {
        return (int) INT.getAcquire(s, off);
    }

    public static void setIntRelease(MemorySegment s, long off, int v) {
        INT.setRelease(s, off, v);
    }

    public static int getIntVolatile(MemorySegment s, long off) {
        return (int) INT.getVolatile(s, off);
    }

    public static void setIntVolatile(MemorySegment s, long off, int v) {
        INT.setVolatile(s, off, v);
    }

    /** Atomically clears {@code clear} then sets {@code set} bits; returns the new value. */
    public static int updateInt(MemorySegment s, long off, int clear, int set) {
        while (true) {
            int cur = (int) INT.getVolatile(s, off);
            int next = cur & ~clear | set;
            if (INT.compareAndSet(s, off, cur, next)) {
                return next;
            }
        }
    }

    public static long getLongAcquire(MemorySegment s, long off) {
        return (long) LONG.getAcquire(s, off);
    }

    public static void setLongRelease(MemorySegment s, long off, long v) {
        LONG.setRelease(s, off, v);
    }
}
