package io.nvmfoffload.nvme.spec;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Objects;

/**
 * Active Namespace ID list, CNS 02h: up to 1024 NSIDs greater than the command's NSID, in
 * increasing order, zero-filled after the last (NVMe Base 2.0 section 5.17.2.2).
 */
public final class ActiveNamespaceList {
    public static final int SIZE = 4096;
    public static final int MAX_ENTRIES = 1024;

    private ActiveNamespaceList() {
    }

    /**
     * Writes the active NSIDs above {@code after} into {@code out} (4096 bytes at {@code offset}).
     *
     * @param active the active NSIDs, any order, none zero
     * @return number of entries written
     */
    public static int write(MemorySegment out, long offset, int after, int[] active) {
        Objects.checkFromIndexSize(offset, SIZE, out.byteSize());
        int[] sorted = active.clone();
        Arrays.sort(sorted);
        out.asSlice(offset, SIZE).fill((byte) 0);
        int n = 0;
        for (int nsid : sorted) {
            if (nsid == 0) {
                throw new IllegalArgumentException("NSID 0 is never a valid active namespace");
            }
            if (Integer.compareUnsigned(nsid, after) > 0 && n < MAX_ENTRIES) {
                Le.putU32(out, offset + 4L * n++, nsid);
            }
        }
        return n;
    }

    /** Reads the NSIDs of a list up to the first zero entry. */
    public static int[] read(MemorySegment in, long offset) {
        int[] ids = new int[MAX_ENTRIES];
        int n = 0;
        while (n < MAX_ENTRIES) {
            int id = Le.u32(in, offset + 4L * n);
            if (id == 0) {
                break;
            }
            ids[n++] = id;
        }
        return Arrays.copyOf(ids, n);
    }
}
