package io.nvmfoffload.target.transport.tcp;

import java.lang.foreign.MemorySegment;

/**
 * One connection's share of the port's {@link DataBufferPool}: one buffer of its own, held from
 * ICReq to close, and up to {@link #MAX_BORROWED} more borrowed while commands wait for their
 * host-to-controller data. Commands execute on the connection's reader as soon as their data is in
 * and send their data before the reader goes on, so the own buffer serves every command that is not
 * waiting for data; a command that finds no buffer waits on the connection until one is released
 * there, which the connection's own progress guarantees.
 */
final class ConnectionBuffers {
    /** Buffers borrowed at once: a host with this many R2T writes outstanding waits for its own data. */
    static final int MAX_BORROWED = 16;

    private final DataBufferPool pool;
    private MemorySegment own;
    private boolean ownInUse;
    private int borrowed;

    private ConnectionBuffers(DataBufferPool pool, MemorySegment own) {
        this.pool = pool;
        this.own = own;
    }

    /** The connection's share, or null when the pool cannot give it its own buffer. */
    static ConnectionBuffers open(DataBufferPool pool) {
        MemorySegment own = pool.tryAcquire();
        return own == null ? null : new ConnectionBuffers(pool, own);
    }

    /** A buffer of the pool's size, or null when the connection must wait for one of its own to come back. */
    synchronized MemorySegment tryAcquire() {
        if (own == null) {
            return null;
        }
        if (!ownInUse) {
            ownInUse = true;
            return own;
        }
        if (borrowed == MAX_BORROWED) {
            return null;
        }
        MemorySegment buffer = pool.tryAcquire();
        if (buffer != null) {
            borrowed++;
        }
        return buffer;
    }

    /** Gives {@code slot} a buffer for its transfer of {@code slot.expected} bytes; false when it must wait. */
    boolean assign(TcpSlot slot) {
        MemorySegment buffer = tryAcquire();
        if (buffer == null) {
            return false;
        }
        slot.buffer = buffer;
        slot.request.data(buffer.asSlice(0, slot.expected));
        return true;
    }

    /** Takes back the slot's buffer, if it holds one. */
    void releaseOf(TcpSlot slot) {
        if (slot.buffer.byteSize() != 0) {
            release(slot.buffer);
            slot.buffer = MemorySegment.NULL;
        }
    }

    synchronized void release(MemorySegment buffer) {
        if (own != null && buffer.address() == own.address()) {
            ownInUse = false;
        } else {
            borrowed--;
            pool.release(buffer);
        }
    }

    /** Buffers this connection holds now, its own included when in use. */
    synchronized int inUse() {
        return borrowed + (ownInUse ? 1 : 0);
    }

    /** Takes back every buffer the connection's slots hold, then its own. */
    void close(TcpSlotTable slots) {
        slots.forEach(this::releaseOf);
        close();
    }

    /** Returns the own buffer to the pool; borrowed ones come back as their commands are abandoned. */
    synchronized void close() {
        if (own != null) {
            pool.release(own);
            own = null;
        }
    }
}
