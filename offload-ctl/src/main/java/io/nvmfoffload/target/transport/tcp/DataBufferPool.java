package io.nvmfoffload.target.transport.tcp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;

/**
 * Buffers of one size for one NVMe/TCP port, made on first use and reused for the port's life: its
 * data buffers, and the blocks of native memory its connections take one each.
 *
 * <p>As data buffers: at most {@code budget / bufferSize} buffers of the largest
 * transfer, made on first use and reused for the port's life, shared by its connections (SPDK's
 * transport-wide buffer pool is the model). A connection keeps one of them for as long as it lives
 * (so it can always make progress) and borrows a bounded number more; when the pool is empty a
 * command waits for a buffer instead of the target growing.
 */
final class DataBufferPool implements AutoCloseable {
    private final Arena arena = Arena.ofShared();
    private final int bufferSize;
    private final int capacity;
    private final ArrayDeque<MemorySegment> free = new ArrayDeque<>();
    private int made;
    private int inUse;
    private boolean closed;

    DataBufferPool(long budgetBytes, int bufferSize) {
        if (bufferSize < 4096 || budgetBytes < bufferSize) {
            throw new IllegalArgumentException("a pool of " + budgetBytes + " bytes cannot hold one buffer of " + bufferSize);
        }
        this.bufferSize = bufferSize;
        this.capacity = (int) Math.min(Integer.MAX_VALUE, budgetBytes / bufferSize);
    }

    int bufferSize() {
        return bufferSize;
    }

    int capacity() {
        return capacity;
    }

    /** A buffer, or null when all {@link #capacity()} are in use. */
    synchronized MemorySegment tryAcquire() {
        if (closed) {
            return null;
        }
        MemorySegment buffer = free.poll();
        if (buffer == null) {
            if (made == capacity) {
                return null;
            }
            buffer = arena.allocate(bufferSize, 4096);
            made++;
        }
        inUse++;
        return buffer;
    }

    synchronized void release(MemorySegment buffer) {
        if (buffer.byteSize() != bufferSize) {
            throw new IllegalArgumentException("not a buffer of this pool: " + buffer.byteSize() + " bytes");
        }
        inUse--;
        if (!closed) {
            free.push(buffer);
        }
    }

    /** Buffers made so far, in use or free. */
    synchronized int made() {
        return made;
    }

    synchronized int inUse() {
        return inUse;
    }

    /** Frees the memory; the port's connections are gone by then. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            free.clear();
            arena.close();
        }
    }
}
