package io.nvmfoffload.nvmf.transport.tcp;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.zip.CRC32C;

/**
 * The bytes of one queue's socket, delivered in one of two ways. Placed: the socket is read
 * straight into the caller's buffer, as much as that buffer wants and no more (a header, a
 * payload). Through the receive buffer: the socket is read into a buffer of this stream and the
 * caller's bytes are copied out of it; when the stream is {@linkplain #buffered buffered} that
 * buffer is filled as far as the socket allows, so one read may carry several PDUs (fewer system
 * calls, one copy more), as a receive path without direct placement works.
 *
 * <p>Switching between modes happens only with the buffer empty, so bytes are never reordered.
 */
final class ReceiveStream {
    private final ReadableByteChannel channel;
    /** Unread bytes between position and limit. */
    private final ByteBuffer buffer;
    private final boolean buffered;
    private long offset;

    ReceiveStream(ReadableByteChannel channel, ByteBuffer buffer, boolean buffered) {
        this.channel = channel;
        this.buffer = buffer;
        this.buffered = buffered;
        buffer.clear().limit(0);
    }

    /** Bytes consumed from the stream so far: where the next read starts. */
    long offset() {
        return offset;
    }

    /** Bytes already read from the socket and not yet consumed. */
    boolean hasUnreadBytes() {
        return buffer.hasRemaining();
    }

    boolean buffered() {
        return buffered;
    }

    /** Fills {@code dst} the way headers are read: through the buffer when buffered, else straight. */
    void readFully(ByteBuffer dst) throws IOException {
        read(dst, buffered, null);
    }

    /**
     * Fills {@code dst} with a payload, updating {@code crc} (if given) chunk by chunk as the bytes
     * land, while they are hot.
     *
     * @param place whether the payload may go straight into {@code dst}; when false (or when the
     *              stream is buffered) it goes through the buffer
     * @return how many of the bytes were copied out of the buffer (the rest were placed)
     */
    int readPayload(ByteBuffer dst, boolean place, CRC32C crc) throws IOException {
        return read(dst, buffered || !place, crc);
    }

    private int read(ByteBuffer dst, boolean viaBuffer, CRC32C crc) throws IOException {
        int copied = 0;
        int start = dst.position();
        while (dst.hasRemaining()) {
            int before = dst.position();
            if (buffer.hasRemaining()) {
                copied += copyOut(dst);
            } else if (viaBuffer) {
                buffer.clear();
                if (!buffered) {
                    // not ours to read ahead: the next bytes may be placed elsewhere
                    buffer.limit(Math.min(buffer.capacity(), dst.remaining()));
                }
                int n = channel.read(buffer);
                buffer.flip();
                if (n < 0) {
                    throw new EOFException("connection closed");
                }
                continue;
            } else if (channel.read(dst) < 0) {
                throw new EOFException("connection closed");
            }
            if (crc != null && dst.position() > before) {
                update(crc, dst, before);
            }
        }
        offset += dst.position() - start;
        return copied;
    }

    /** The CRC of dst's bytes from {@code from} to its position, without a slice per chunk. */
    private static void update(CRC32C crc, ByteBuffer dst, int from) {
        int end = dst.position();
        int limit = dst.limit();
        dst.position(from).limit(end);
        crc.update(dst);
        dst.limit(limit);
    }

    private int copyOut(ByteBuffer dst) {
        int n = Math.min(buffer.remaining(), dst.remaining());
        int limit = buffer.limit();
        buffer.limit(buffer.position() + n);
        dst.put(buffer);
        buffer.limit(limit);
        return n;
    }
}
