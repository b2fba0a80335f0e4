package io.nvmfoffload.nvme.emu;

import io.nvmfoffload.nvme.spec.Le;
import io.nvmfoffload.nvme.spec.PrpListMemory;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Objects;

/**
 * The memory an emulated controller may DMA to and from, modelled on an IOMMU: callers register
 * native segments (queue rings, data and staging buffers), PRP entries carry their real native
 * addresses, and the controller resolves each address to a region. An address outside every
 * region is what an IOMMU fault is on hardware: the command completes with Data Transfer Error.
 *
 * <p>Lookups are lock-free over an immutable sorted array, replaced on each (rare) registration.
 */
public final class DmaSpace implements PrpListMemory {
    private volatile DmaRegion[] regions = new DmaRegion[0];

    /** Maps {@code segment}; it must be native and must not overlap a mapped region. */
    public synchronized DmaRegion register(MemorySegment segment) {
        Objects.requireNonNull(segment, "segment");
        if (!segment.isNative()) {
            throw new IllegalArgumentException("only native segments can be DMA regions; a heap segment has no stable address");
        }
        if (segment.byteSize() == 0) {
            throw new IllegalArgumentException("a DMA region must not be empty");
        }
        DmaRegion r = new DmaRegion(this, segment);
        DmaRegion[] cur = regions;
        for (DmaRegion o : cur) {
            if (r.base() < o.base() + o.size() && o.base() < r.base() + r.size()) {
                throw new IllegalArgumentException(String.format("DMA region %X..%X overlaps mapped region %X..%X",
                        r.base(), r.base() + r.size(), o.base(), o.base() + o.size()));
            }
        }
        DmaRegion[] next = Arrays.copyOf(cur, cur.length + 1);
        next[cur.length] = r;
        Arrays.sort(next, (a, b) -> Long.compareUnsigned(a.base(), b.base()));
        regions = next;
        return r;
    }

    synchronized void unregister(DmaRegion region) {
        DmaRegion[] cur = regions;
        int i = Arrays.asList(cur).indexOf(region);
        if (i < 0) {
            return;
        }
        DmaRegion[] next = new DmaRegion[cur.length - 1];
        System.arraycopy(cur, 0, next, 0, i);
        System.arraycopy(cur, i + 1, next, i, cur.length - i - 1);
        regions = next;
    }

    /** The region wholly containing {@code [address, address + length)}, or null. */
    public DmaRegion find(long address, long length) {
        DmaRegion[] rs = regions;
        int lo = 0;
        int hi = rs.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            DmaRegion r = rs[mid];
            if (Long.compareUnsigned(r.base(), address) <= 0) {
                if (r.contains(address, length)) {
                    return r;
                }
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return null;
    }

    /** A slice for {@code [address, address + length)}, or null if unmapped (allocates; not for hot paths). */
    public MemorySegment resolve(long address, long length) {
        DmaRegion r = find(address, length);
        return r == null ? null : r.segment().asSlice(address - r.base(), length);
    }

    public int regionCount() {
        return regions.length;
    }

    @Override
    public boolean isReadable(long address, long length) {
        return find(address, length) != null;
    }

    @Override
    public long readQword(long address) {
        DmaRegion r = find(address, 8);
        if (r == null) {
            throw new IllegalStateException(String.format("PRP list entry at %X is not in a DMA region", address));
        }
        return Le.u64(r.segment(), address - r.base());
    }
}
