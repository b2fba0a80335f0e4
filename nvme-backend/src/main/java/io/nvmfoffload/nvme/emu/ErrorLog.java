package io.nvmfoffload.nvme.emu;

import io.nvmfoffload.nvme.spec.ErrorInformationEntry;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** The controller's Error Information log: a ring of the most recent errors, reported newest first. */
final class ErrorLog {
    private final int capacity;
    private final MemorySegment ring;
    private final ErrorInformationEntry view = new ErrorInformationEntry();
    private long errorCount;

    ErrorLog(Arena arena, int capacity) {
        this.capacity = capacity;
        this.ring = arena.allocate((long) capacity * ErrorInformationEntry.SIZE, 64);
    }

    int capacity() {
        return capacity;
    }

    long errorCount() {
        return errorCount;
    }

    void record(int sqid, int cid, int status, long lba, int nsid) {
        errorCount++;
        int slot = (int) ((errorCount - 1) % capacity);
        view.wrap(ring, (long) slot * ErrorInformationEntry.SIZE)
                .set(errorCount, sqid, cid, status, false, 0xFFFF, lba, nsid);
    }

    /** Writes {@code capacity} entries, newest first; unused entries are zero. */
    void write(MemorySegment out, long offset) {
        for (int i = 0; i < capacity; i++) {
            long n = errorCount - i;
            long dst = offset + (long) i * ErrorInformationEntry.SIZE;
            if (n <= 0) {
                out.asSlice(dst, ErrorInformationEntry.SIZE).fill((byte) 0);
            } else {
                int slot = (int) ((n - 1) % capacity);
                MemorySegment.copy(ring, (long) slot * ErrorInformationEntry.SIZE, out, dst, ErrorInformationEntry.SIZE);
            }
        }
    }
}
