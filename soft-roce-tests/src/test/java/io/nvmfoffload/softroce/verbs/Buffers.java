package io.nvmfoffload.softroce.verbs;

import io.nvmfoffload.verbs.MemoryRegion;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/** Test data helpers. */
final class Buffers {
    private Buffers() {}

    /** Fills {@code s} with a pattern that differs per seed and per byte position. */
    static void fill(MemorySegment s, int seed) {
        for (long i = 0; i < s.byteSize(); i++) {
            s.set(JAVA_BYTE, i, (byte) (i * 31 + seed * 7 + (i >>> 8)));
        }
    }

    /** What a peer needs to RDMA into or out of a region: 8-byte address and 4-byte rkey. */
    static byte[] remoteKey(MemoryRegion mr) {
        return ByteBuffer.allocate(12).putLong(mr.address()).putInt(mr.rkey()).array();
    }

    record Remote(long address, int rkey) {}

    static Remote remote(byte[] privateData) {
        ByteBuffer b = ByteBuffer.wrap(privateData);
        return new Remote(b.getLong(), b.getInt());
    }
}
