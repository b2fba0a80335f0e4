package io.nvmfoffload.nvme.emu;

import io.nvmfoffload.nvme.spec.NvmeStatus;
import io.nvmfoffload.nvme.spec.PrpWalker;
import io.nvmfoffload.nvme.spec.SubmissionQueueEntry;

import java.lang.foreign.MemorySegment;

/**
 * Turns a command's PRPs into DMA regions and moves data between them and device buffers. One
 * instance per controller, reused for every command (the device executes one command at a time),
 * so resolving a transfer allocates nothing.
 */
final class DataTransfer {
    private final DmaSpace dma;
    private final PrpWalker walker;
    private final DmaRegion[] regions;
    private final long[] offsets;
    private final int[] lengths;
    private int count;
    private int pageSize = 4096;

    DataTransfer(DmaSpace dma, int maxPages) {
        this.dma = dma;
        this.walker = new PrpWalker(maxPages);
        this.regions = new DmaRegion[maxPages];
        this.offsets = new long[maxPages];
        this.lengths = new int[maxPages];
    }

    void pageSize(int pageSize) {
        this.pageSize = pageSize;
    }

    /**
     * Resolves {@code bytes} of the command's data pointer; every chunk must lie in a DMA region
     * before any data moves, so a bad PRP never leaves a half-done command.
     *
     * @return 0 or the status to complete with
     */
    int resolve(SubmissionQueueEntry sqe, long bytes) {
        count = 0;
        int status = walker.walk(sqe.prp1(), sqe.prp2(), bytes, pageSize, dma);
        if (status != 0) {
            return status;
        }
        int n = walker.chunkCount();
        for (int i = 0; i < n; i++) {
            long address = walker.chunkAddress(i);
            int len = walker.chunkLength(i);
            DmaRegion r = dma.find(address, len);
            if (r == null) {
                return NvmeStatus.DATA_TRANSFER_ERROR.field(false);
            }
            regions[i] = r;
            offsets[i] = address - r.base();
            lengths[i] = len;
        }
        count = n;
        return 0;
    }

    int count() {
        return count;
    }

    int length(int i) {
        return lengths[i];
    }

    /** The region segment holding chunk {@code i}; the chunk starts at {@link #offset(int)}. */
    MemorySegment segment(int i) {
        return regions[i].segment();
    }

    long offset(int i) {
        return offsets[i];
    }

    /** Scatters {@code src[srcOffset...]} into the resolved chunks. */
    void toHost(MemorySegment src, long srcOffset) {
        long p = srcOffset;
        for (int i = 0; i < count; i++) {
            MemorySegment.copy(src, p, regions[i].segment(), offsets[i], lengths[i]);
            p += lengths[i];
        }
    }

    /** Gathers the resolved chunks into {@code dst[dstOffset...]}. */
    void fromHost(MemorySegment dst, long dstOffset) {
        long p = dstOffset;
        for (int i = 0; i < count; i++) {
            MemorySegment.copy(regions[i].segment(), offsets[i], dst, p, lengths[i]);
            p += lengths[i];
        }
    }

    /** Releases region references so an unmapped region is not kept reachable by this reusable object. */
    void clear() {
        for (int i = 0; i < count; i++) {
            regions[i] = null;
        }
        count = 0;
    }
}
