package io.nvmfoffload.nvme.spec;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Changed Namespace List log page, 4096 bytes: up to 1024 NSIDs; more than that is reported as
 * a single FFFFFFFFh entry (NVMe Base 2.0 section 5.16.1.5).
 */
public final class ChangedNamespaceList {
    public static final int SIZE = 4096;
    public static final int MAX_ENTRIES = 1024;
    public static final int OVERFLOW = 0xFFFFFFFF;

    private ChangedNamespaceList() {
    }

    public static void write(MemorySegment out, long offset, int[] changed, int count) {
        Objects.checkFromIndexSize(offset, SIZE, out.byteSize());
        out.asSlice(offset, SIZE).fill((byte) 0);
        if (count > MAX_ENTRIES) {
            Le.putU32(out, offset, OVERFLOW);
            return;
        }
        for (int i = 0; i < count; i++) {
            Le.putU32(out, offset + 4L * i, changed[i]);
        }
    }
}
