package io.nvmfoffload.verbs.nvmf;

import io.nvmfoffload.verbs.MemoryRegion;

/**
 * {@code {mr, addr, len}}: a range of a registered memory region, as the offload verbs name staging
 * buffers, NVMe queues and doorbells.
 */
public record MemoryRange(MemoryRegion memoryRegion, long address, long length) {
    public MemoryRange {
        if (memoryRegion == null) {
            throw new IllegalArgumentException("a memory range needs its memory region");
        }
        if (length <= 0 || !memoryRegion.contains(address, length)) {
            throw new IllegalArgumentException("range of " + length + " bytes at 0x" + Long.toHexString(address)
                    + " is not inside " + memoryRegion.describe());
        }
    }

    /** The whole region. */
    public static MemoryRange of(MemoryRegion mr) {
        return new MemoryRange(mr, mr.address(), mr.length());
    }

    /** {@code length} bytes at {@code offset} into the region. */
    public static MemoryRange of(MemoryRegion mr, long offset, long length) {
        return new MemoryRange(mr, mr.address() + offset, length);
    }

    @Override
    public String toString() {
        return length + " bytes at 0x" + Long.toHexString(address) + " (lkey 0x" + Integer.toHexString(memoryRegion.lkey()) + ")";
    }
}
