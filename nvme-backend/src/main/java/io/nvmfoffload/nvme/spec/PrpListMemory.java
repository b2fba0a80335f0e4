package io.nvmfoffload.nvme.spec;

/**
 * Host memory as a device sees it when it fetches PRP list entries: by address, without
 * allocating. An IOMMU-like address space implements it.
 */
public interface PrpListMemory {
    /** Whether {@code length} bytes at {@code address} can be read. */
    boolean isReadable(long address, long length);

    /** The little-endian quadword at {@code address}; only called after {@link #isReadable}. */
    long readQword(long address);
}
