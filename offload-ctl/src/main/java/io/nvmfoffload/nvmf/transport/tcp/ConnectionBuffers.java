package io.nvmfoffload.nvmf.transport.tcp;

import io.nvmfoffload.nvmf.transport.buffer.DataBufferPool;

/**
 * One connection's share of the port's {@link DataBufferPool}: a buffer of its own of the port's
 * max_io_size ({@link #ADMIN_OWN_BYTES} for an admin queue, whose larger transfers borrow), held
 * from Connect to close, and up to {@link #MAX_BORROWED_BYTES} more borrowed
 * while commands wait for their host-to-controller data, each sized to its command. Commands
 * execute on the connection's reader as soon as their data is in and send their data before the
 * reader goes on, so the own buffer serves every command that is not waiting for data; a command
 * that finds no buffer waits on the connection until one is released there, which the
 * connection's own progress guarantees.
 */
final class ConnectionBuffers {
    /**
     * Bytes borrowed at once beyond the own buffer, or one largest transfer if more: what a host
     * that never sends its data holds does not grow with max_io_size.
     */
    static final long MAX_BORROWED_BYTES = 2L << 20;
    /**
     * An admin queue's own buffer: Identify, features and the usual log pages fit; a transfer above
     * it borrows, and when the pool is empty waits for the queue's next command (a keep-alive at
     * the latest). Admin and discovery queues then do not take a max_io_size buffer each.
     */
    static final int ADMIN_OWN_BYTES = 64 << 10;

    private final DataBufferPool pool;
    private final DataBufferPool.Share share;
    private DataBufferPool.Buffer own;
    private boolean ownInUse;

    private ConnectionBuffers(DataBufferPool pool, DataBufferPool.Share share, DataBufferPool.Buffer own) {
        this.pool = pool;
        this.share = share;
        this.own = own;
    }

    /** The most bytes one connection holds: its own buffer and what it may borrow. */
    private static long bound(DataBufferPool pool) {
        return pool.maxBlockBytes() + Math.max(MAX_BORROWED_BYTES, pool.maxBlockBytes());
    }

    /** The share of a queue ({@code admin}: an admin queue), or null when the pool cannot give it its own buffer. */
    static ConnectionBuffers open(DataBufferPool pool, boolean admin) {
        DataBufferPool.Share share = pool.share(bound(pool));
        DataBufferPool.Buffer own = new DataBufferPool.Buffer();
        int ownBytes = admin ? Math.min(ADMIN_OWN_BYTES, pool.maxBlockBytes()) : pool.maxBlockBytes();
        return pool.take(own, share, ownBytes) == DataBufferPool.Take.TAKEN ? new ConnectionBuffers(pool, share, own) : null;
    }

    /** Gives {@code slot} a buffer for its transfer of {@code slot.expected} bytes; false when it must wait. */
    synchronized boolean assign(TcpSlot slot) {
        if (own == null) {
            return false;
        }
        if (!ownInUse && slot.expected <= own.segment().byteSize()) {
            ownInUse = true;
            slot.ownBuffer = true;
            slot.request.data(own.segment().asSlice(0, slot.expected));
            return true;
        }
        if (pool.take(slot.borrowed, share, slot.expected) != DataBufferPool.Take.TAKEN) {
            return false;
        }
        slot.request.data(slot.borrowed.segment());
        return true;
    }

    /** Takes back the slot's buffer, if it holds one. */
    synchronized void releaseOf(TcpSlot slot) {
        if (slot.ownBuffer) {
            slot.ownBuffer = false;
            ownInUse = false;
        } else {
            pool.give(slot.borrowed);
        }
    }

    /** Takes back every buffer the connection's slots hold, then its own. */
    void close(TcpSlotTable slots) {
        slots.forEach(this::releaseOf);
        close();
    }

    /** Returns the own buffer to the pool; borrowed ones come back as their commands are abandoned. */
    synchronized void close() {
        if (own != null) {
            pool.give(own);
            own = null;
        }
    }
}
