package io.nvmfoffload.nvmf.transport.tcp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;

/**
 * The blocks of native memory an NVMe/TCP port's connections take one each
 * ({@link ConnectionMemory}): made on first use from the port's arena, reused for the port's life,
 * so that no connection closes an arena of its own. Blocks made are bounded by the most
 * connections open at once, which max_connections_per_port bounds.
 */
final class ConnectionMemoryPool implements AutoCloseable {
    private final Arena arena = Arena.ofShared();
    private final long blockSize;
    private final ArrayDeque<MemorySegment> free = new ArrayDeque<>();
    private int made;
    private boolean closed;

    ConnectionMemoryPool(long blockSize) {
        this.blockSize = blockSize;
    }

    /** A block, not zeroed; null once the port is closing. */
    synchronized MemorySegment take() {
        if (closed) {
            return null;
        }
        MemorySegment block = free.poll();
        if (block == null) {
            block = arena.allocate(blockSize, 4096);
            made++;
        }
        return block;
    }

    /** The connection is gone and nothing reads or writes its block any more. */
    synchronized void give(MemorySegment block) {
        if (block.byteSize() != blockSize) {
            throw new IllegalArgumentException("not a block of this pool: " + block.byteSize() + " bytes");
        }
        if (!closed) {
            free.push(block);
        }
    }

    synchronized int made() {
        return made;
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
