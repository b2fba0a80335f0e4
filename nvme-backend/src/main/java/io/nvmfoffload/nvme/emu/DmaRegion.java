package io.nvmfoffload.nvme.emu;

import java.lang.foreign.MemorySegment;

/**
 * A segment of host memory the device may reach, as an IOMMU mapping. The device addresses it by
 * native address ({@code segment.address() + offset}); closing the region unmaps it.
 */
public final class DmaRegion implements AutoCloseable {
    private final DmaSpace space;
    private final MemorySegment segment;
    private final long base;
    private final long size;

    DmaRegion(DmaSpace space, MemorySegment segment) {
        this.space = space;
        this.segment = segment;
        this.base = segment.address();
        this.size = segment.byteSize();
    }

    public MemorySegment segment() {
        return segment;
    }

    /** First device-visible address. */
    public long base() {
        return base;
    }

    public long size() {
        return size;
    }

    /** Device address of byte {@code offset} of the region. */
    public long addressOf(long offset) {
        if (offset < 0 || offset > size) {
            throw new IndexOutOfBoundsException("offset " + offset + " outside DMA region of " + size + " bytes at "
                    + Long.toHexString(base));
        }
        return base + offset;
    }

    boolean contains(long address, long length) {
        return address >= base && length >= 0 && address - base <= size - length;
    }

    @Override
    public void close() {
        space.unregister(this);
    }

    @Override
    public String toString() {
        return String.format("DmaRegion[%X..%X]", base, base + size);
    }
}
