package io.nvmfoffload.nvme.store;

import java.lang.foreign.MemorySegment;

/**
 * The blocks behind one NVMe namespace. Both data paths execute against it: the software target
 * directly, the offload path through a controller built over the same store, so both see the same
 * bytes.
 *
 * <p>Errors surface as {@link io.nvmfoffload.nvme.spec.NvmeStatusException} carrying the status
 * to complete the command with (LBA Out of Range, Invalid Field in Command, Unrecovered Read
 * Error, Write Fault); successful calls return normally. Implementations are thread-safe.
 */
public interface NamespaceStore extends AutoCloseable {

    /** A description for messages: the path or the RAM store's name. */
    String name();

    /** Logical block size in bytes: 512 or 4096. */
    int blockSize();

    /** Capacity in logical blocks (NSZE = NCAP). */
    long capacityBlocks();

    /** Identifiers that stay the same across restarts for the same backing storage. */
    NamespaceIdentity identity();

    /**
     * Reads {@code nlb} blocks starting at {@code slba} into {@code nlb * blockSize()} bytes of
     * {@code dst} from {@code dstOffset}. The offset form lets a caller holding a large region
     * (a DMA region, a registered receive buffer) pass it without making a slice per command.
     */
    void read(long slba, int nlb, MemorySegment dst, long dstOffset);

    /** Writes {@code nlb} blocks starting at {@code slba} from {@code src} at {@code srcOffset}. */
    void write(long slba, int nlb, MemorySegment src, long srcOffset);

    /** Reads into the start of {@code dst}. */
    default void read(long slba, int nlb, MemorySegment dst) {
        read(slba, nlb, dst, 0);
    }

    /** Writes from the start of {@code src}. */
    default void write(long slba, int nlb, MemorySegment src) {
        write(slba, nlb, src, 0);
    }

    /**
     * A channel from which a transport may send blocks to the network without a user-space copy
     * ({@link java.nio.channels.FileChannel#transferTo}, sendfile), block {@code b} starting at
     * byte {@code b * blockSize()}; or null when the store has none (memory, O_DIRECT, a size
     * the JDK cannot see). Callers check the range themselves and read instead when it is bad.
     */
    default java.nio.channels.FileChannel transferChannel() {
        return null;
    }

    /** Makes every completed write durable (FileChannel.force for files). */
    void flush();

    /**
     * Sets the range to zeros. With {@code deallocate} the blocks may also be released (a hole in
     * a file); they still read back as zeros.
     */
    void writeZeroes(long slba, long nlb, boolean deallocate);

    /** Dataset Management deallocate: the range may be released and reads back as zeros. */
    void deallocate(long slba, long nlb);

    /**
     * Whether deallocated blocks read back as zeros, which Identify Namespace advertises in DLFEAT.
     * True for every store here.
     */
    default boolean deallocatedReadsZeros() {
        return true;
    }

    /** Whether {@link #flush()} does anything, i.e. whether a volatile write cache should be reported. */
    boolean hasVolatileWriteCache();

    /**
     * Changes the capacity; listeners are told after the change. Growing exposes zeroed blocks.
     *
     * @throws UnsupportedOperationException where the capacity follows the medium (block devices)
     */
    void resize(long newCapacityBlocks);

    /** Registers a listener for capacity changes; closing the returned handle removes it. */
    Subscription addCapacityListener(CapacityListener listener);

    @Override
    void close();

    /** Told after a namespace's capacity changed, so a target can raise a namespace-changed notice. */
    @FunctionalInterface
    interface CapacityListener {
        void capacityChanged(NamespaceStore store, long oldBlocks, long newBlocks);
    }

    /** A registration that ends when closed. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
