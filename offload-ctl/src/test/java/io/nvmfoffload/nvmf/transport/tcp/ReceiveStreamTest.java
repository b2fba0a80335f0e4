package io.nvmfoffload.nvmf.transport.tcp;

import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ReceiveStreamTest {
    /** A socket that returns at most {@code chunk} bytes per read, counting reads. */
    private static final class ChunkedChannel implements ReadableByteChannel {
        final byte[] data;
        final int chunk;
        int position;
        int reads;

        ChunkedChannel(byte[] data, int chunk) {
            this.data = data;
            this.chunk = chunk;
        }

        @Override
        public int read(ByteBuffer dst) {
            reads++;
            if (position == data.length) {
                return -1;
            }
            int n = Math.min(Math.min(chunk, dst.remaining()), data.length - position);
            dst.put(data, position, n);
            position += n;
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {}
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    @Test
    void placedPayloadIsReadStraightIntoItsBufferWithNothingCopied() throws IOException {
        byte[] data = bytes(24 + 8192);
        ReceiveStream rx = new ReceiveStream(new ChunkedChannel(data, 1500), ByteBuffer.allocate(4096), false);
        ByteBuffer header = ByteBuffer.allocate(24);
        rx.readFully(header);
        ByteBuffer payload = ByteBuffer.allocate(8192);
        CRC32C crc = new CRC32C();
        assertEquals(0, rx.readPayload(payload, true, crc));
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 24, data.length), payload.array());
        CRC32C whole = new CRC32C();
        whole.update(data, 24, 8192);
        assertEquals(whole.getValue(), crc.getValue(), "the CRC taken chunk by chunk is the CRC of the payload");
        assertEquals(24 + 8192, rx.offset());
    }

    @Test
    void aBufferedStreamReadsAheadAndCopiesEveryPayloadByte() throws IOException {
        byte[] data = bytes(3 * (24 + 512));
        ChunkedChannel ch = new ChunkedChannel(data, 65536);
        ReceiveStream rx = new ReceiveStream(ch, ByteBuffer.allocate(65536), true);
        int copied = 0;
        for (int i = 0; i < 3; i++) {
            rx.readFully(ByteBuffer.allocate(24));
            copied += rx.readPayload(ByteBuffer.allocate(512), true, null);
        }
        assertEquals(3 * 512, copied, "a buffered stream never places, whatever the caller allows");
        assertEquals(1, ch.reads, "three PDUs in one read");
    }

    @Test
    void anUnplacedPayloadOnAPlacingStreamIsCopiedWithoutReadingPastIt() throws IOException {
        byte[] data = bytes(1024 + 24);
        ChunkedChannel ch = new ChunkedChannel(data, 65536);
        ReceiveStream rx = new ReceiveStream(ch, ByteBuffer.allocate(4096), false);
        assertEquals(1024, rx.readPayload(ByteBuffer.allocate(1024), false, null));
        assertEquals(1024, ch.position, "the next header is left in the socket");
        ByteBuffer next = ByteBuffer.allocate(24);
        rx.readFully(next);
        assertEquals(data[1024], next.get(0));
    }

    @Test
    void theEndOfTheStreamInsideAPduIsAnEof() {
        ReceiveStream rx = new ReceiveStream(new ChunkedChannel(bytes(10), 4), ByteBuffer.allocate(64), true);
        assertThrows(EOFException.class, () -> rx.readFully(ByteBuffer.allocate(24)));
    }
}
