package io.nvmfoffload.nvme.store;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.locks.StampedLock;

/**
 * A namespace in off-heap memory owned by a shared {@link Arena}; {@link #close()} frees it.
 * Contents are lost at close, so flush is a no-op and no volatile write cache is reported.
 */
public final class RamNamespaceStore extends AbstractNamespaceStore {
    // Resize swaps the backing segment; I/O holds the read side so it never touches freed memory.
    private final StampedLock lock = new StampedLock();
    private Arena arena;
    private MemorySegment data;
    private boolean closed;

    private RamNamespaceStore(String name, int blockSize, long blocks, NamespaceIdentity identity) {
        super(name, blockSize, blocks, identity);
        this.arena = Arena.ofShared();
        this.data = allocate(arena, blocks, blockSize, name);
    }

    /** A zeroed RAM namespace whose identity derives from {@code name}. */
    public static RamNamespaceStore create(String name, int blockSize, long blocks) {
        return new RamNamespaceStore(name, blockSize, blocks, NamespaceIdentity.fromName("ram:" + name));
    }

    public static RamNamespaceStore create(String name, int blockSize, long blocks, NamespaceIdentity identity) {
        return new RamNamespaceStore(name, blockSize, blocks, identity);
    }

    private static MemorySegment allocate(Arena arena, long blocks, int blockSize, String name) {
        long bytes = Math.multiplyExact(blocks, (long) blockSize);
        try {
            // Page alignment lets O_DIRECT-style consumers and DMA views use the memory as is.
            return arena.allocate(Math.max(bytes, 1), 4096);
        } catch (OutOfMemoryError e) {
            throw new IllegalArgumentException("RAM store " + name + ": cannot allocate " + bytes + " bytes off-heap", e);
        }
    }

    @Override
    public void read(long slba, int nlb, MemorySegment dst, long dstOffset) {
        long bytes = checkBuffer(nlb, dst, dstOffset, "read");
        long stamp = lock.readLock();
        try {
            ensureOpen();
            checkRange(slba, nlb, "read");
            MemorySegment.copy(data, slba << blockShift(), dst, dstOffset, bytes);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    @Override
    public void write(long slba, int nlb, MemorySegment src, long srcOffset) {
        long bytes = checkBuffer(nlb, src, srcOffset, "write");
        long stamp = lock.readLock();
        try {
            ensureOpen();
            checkRange(slba, nlb, "write");
            MemorySegment.copy(src, srcOffset, data, slba << blockShift(), bytes);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    @Override
    public void flush() {
        long stamp = lock.readLock();
        try {
            ensureOpen();
        } finally {
            lock.unlockRead(stamp);
        }
    }

    @Override
    public boolean hasVolatileWriteCache() {
        return false;
    }

    @Override
    public void writeZeroes(long slba, long nlb, boolean deallocate) {
        zero(slba, nlb, "write zeroes");
    }

    @Override
    public void deallocate(long slba, long nlb) {
        zero(slba, nlb, "deallocate");
    }

    private void zero(long slba, long nlb, String op) {
        long stamp = lock.readLock();
        try {
            ensureOpen();
            checkRange(slba, nlb, op);
            data.asSlice(slba << blockShift(), nlb << blockShift()).fill((byte) 0);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    @Override
    public void resize(long newCapacityBlocks) {
        if (newCapacityBlocks < 1) {
            throw new IllegalArgumentException("RAM store " + name() + ": new capacity " + newCapacityBlocks + " blocks is below 1");
        }
        long stamp = lock.writeLock();
        try {
            ensureOpen();
            Arena next = Arena.ofShared();
            MemorySegment grown = allocate(next, newCapacityBlocks, blockSize(), name());
            long keep = Math.min(newCapacityBlocks, capacityBlocks()) << blockShift();
            MemorySegment.copy(data, 0, grown, 0, keep);
            arena.close();
            arena = next;
            data = grown;
        } finally {
            lock.unlockWrite(stamp);
        }
        capacityChanged(newCapacityBlocks);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("RAM store " + name() + " is closed");
        }
    }

    @Override
    public void close() {
        long stamp = lock.writeLock();
        try {
            if (!closed) {
                closed = true;
                arena.close();
            }
        } finally {
            lock.unlockWrite(stamp);
        }
    }
}
