package io.nvmfoffload.nvmf.transport.tcp;

import io.nvmfoffload.nvmf.Port;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;

/**
 * One connection's native memory: a block of the port's pool, zeroed when taken, sliced for the
 * PDU headers, digests, discard, in-capsule and receive buffers. A connection with an arena of its
 * own would cost, when it closes, a handshake with every thread of the JVM (a shared arena's close
 * checks that no thread uses its memory): with hundreds of connections that stalls the queues doing I/O.
 */
final class ConnectionMemory {
    /** Bytes of in-capsule data the admin queue takes whatever the port says: a Connect's 1 KiB and more. */
    static final int ADMIN_IN_CAPSULE = 8192;
    /** The socket's receive buffer: a 128 KiB write arrives in two reads; many PDUs per read at 4 KiB. */
    static final int RECEIVE_BUFFER_BYTES = 64 * 1024;
    /** Headers, digests and the 4 KiB discard buffer, with their alignment. */
    private static final int SMALL_BUFFERS_BYTES = 8192;

    private final ConnectionMemoryPool pool;
    private final MemorySegment block;
    private final SegmentAllocator slices;

    /** Takes a block of {@code pool}; when the port is closing, and its pool with it, closes {@code channel} and fails. */
    ConnectionMemory(ConnectionMemoryPool pool, SocketChannel channel) throws IOException {
        MemorySegment taken = pool.take();
        if (taken == null) {
            channel.close();
            throw new ClosedChannelException();
        }
        this.pool = pool;
        this.block = taken.fill((byte) 0);  // nothing of the connection before
        this.slices = SegmentAllocator.slicingAllocator(block);
    }

    /** The size of a block for a connection of {@code port}. */
    static int blockBytes(Port port) {
        return SMALL_BUFFERS_BYTES + ((inCapsuleBytes(port) + 4095) & ~4095) + RECEIVE_BUFFER_BYTES;
    }

    /** The in-capsule buffer of a connection of {@code port}, an admin queue's Connect data included. */
    static int inCapsuleBytes(Port port) {
        return Math.max(port.inCapsuleDataSize(), ADMIN_IN_CAPSULE);
    }

    /** Slices of the block, in the order asked for; beyond the block it throws. */
    SegmentAllocator slices() {
        return slices;
    }

    /** Gives the block back: nothing may read or write it after this. */
    void release() {
        pool.give(block);
    }
}
