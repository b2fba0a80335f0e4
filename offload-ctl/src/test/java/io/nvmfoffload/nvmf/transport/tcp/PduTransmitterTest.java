package io.nvmfoffload.nvmf.transport.tcp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bytes on the wire for each PDU the target sends, read back from a loopback socket. */
class PduTransmitterTest {
    private final Arena arena = Arena.ofShared();
    private LoopbackSocketPair sockets;
    private PduTransmitter tx;

    @BeforeEach
    void connect() throws IOException {
        sockets = LoopbackSocketPair.open();
        tx = new PduTransmitter(sockets.target(), arena, new TcpCounters());
    }

    @AfterEach
    void close() throws IOException {
        sockets.close();
        arena.close();
    }

    @Test
    void afterCloseNoSendTouchesTheReleasedMemory() {
        int[] released = new int[1];
        tx.close(() -> released[0]++);
        tx.close(() -> released[0]++);
        assertEquals(1, released[0], "the memory is released once");
        MemorySegment cqe = arena.allocate(16);
        assertThrows(ClosedChannelException.class, () -> tx.sendResponse(cqe));
        assertThrows(ClosedChannelException.class, () -> tx.sendR2t(1, 0, 4096));
        assertThrows(ClosedChannelException.class, () -> tx.sendTermination(1, 0));
    }

    @Test
    void icRespEchoesTheDigestsAndMaxH2cData() throws IOException {
        tx.sendIcResp(3, 131072);
        ByteBuffer pdu = read(128);
        assertEquals(Pdu.IC_RESP, pdu.get(0));
        assertEquals(128, pdu.get(2) & 0xFF);
        assertEquals(128, pdu.getInt(4));
        assertEquals(3, pdu.get(Pdu.IC_DGST));
        assertEquals(131072, pdu.getInt(Pdu.IC_MAXR2T_MAXDATA));
    }

    @Test
    void r2tCarriesCidTagLengthAndAHeaderDigestWhenAskedFor() throws IOException {
        tx.sendIcResp(1, 131072);
        read(128);
        tx.sendR2t(0x1234, 7, 65536);
        ByteBuffer pdu = read(Pdu.R2T_HLEN + Pdu.DIGEST);
        assertEquals(Pdu.R2T, pdu.get(0));
        assertEquals(Pdu.FLAG_HDGST, pdu.get(1));
        assertEquals(Pdu.R2T_HLEN + Pdu.DIGEST, pdu.getInt(4));
        assertEquals(0x1234, pdu.getShort(Pdu.CCCID) & 0xFFFF);
        assertEquals(7, pdu.getShort(Pdu.TTAG));
        assertEquals(65536, pdu.getInt(16));
        assertEquals(crc(pdu, 0, Pdu.R2T_HLEN), pdu.getInt(Pdu.R2T_HLEN));
    }

    @Test
    void c2hDataWithSuccessFlagSendsNoResponseCapsule() throws IOException {
        tx.sendIcResp(0, 131072);
        read(128);
        MemorySegment data = arena.allocate(4096).fill((byte) 0x5A);
        tx.sendDataAndResponse(9, data, null, 0, 4096, true, arena.allocate(16));
        ByteBuffer pdu = read(Pdu.DATA_HLEN + 4096);
        assertEquals(Pdu.C2H_DATA, pdu.get(0));
        assertEquals(Pdu.FLAG_DATA_LAST | Pdu.FLAG_DATA_SUCCESS, pdu.get(1));
        assertEquals(Pdu.DATA_HLEN, pdu.get(Pdu.PDO));
        assertEquals(4096, pdu.getInt(Pdu.DATAL));
        assertEquals(0x5A, pdu.get(Pdu.DATA_HLEN + 4095));
        sockets.host().configureBlocking(false);
        assertEquals(0, sockets.host().read(ByteBuffer.allocate(1)), "nothing after the data PDU");
    }

    @Test
    void c2hDataWithDataDigestIsFollowedByTheResponseCapsule() throws IOException {
        tx.sendIcResp(2, 131072);
        read(128);
        MemorySegment data = arena.allocate(512).fill((byte) 1);
        MemorySegment cqe = arena.allocate(16);
        cqe.set(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 12, (short) 9);
        tx.sendDataAndResponse(9, data, null, 0, 512, false, cqe);
        ByteBuffer pdu = read(Pdu.DATA_HLEN + 512 + Pdu.DIGEST + Pdu.CAPSULE_RESP_HLEN);
        assertEquals(Pdu.FLAG_DATA_LAST | Pdu.FLAG_DDGST, pdu.get(1));
        assertEquals(Pdu.DATA_HLEN + 512 + Pdu.DIGEST, pdu.getInt(Pdu.PLEN));
        assertEquals(crc(pdu, Pdu.DATA_HLEN, 512), pdu.getInt(Pdu.DATA_HLEN + 512));
        int resp = Pdu.DATA_HLEN + 512 + Pdu.DIGEST;
        assertEquals(Pdu.CAPSULE_RESP, pdu.get(resp));
        assertEquals(9, pdu.getShort(resp + Pdu.COMMON_HEADER + 12));
        assertTrue(tx.dataDigest(), "data digests on: no sendfile for reads");
    }

    @Test
    void terminationCarriesStatusAndFieldAndNoDigest() throws IOException {
        tx.sendIcResp(1, 131072);
        read(128);
        tx.sendTermination(Pdu.FES_HEADER_DIGEST_ERROR, 0);
        ByteBuffer pdu = read(Pdu.TERM_HLEN);
        assertEquals(Pdu.C2H_TERM_REQ, pdu.get(0));
        assertEquals(0, pdu.get(1));
        assertEquals(Pdu.TERM_HLEN, pdu.getInt(4));
        assertEquals(Pdu.FES_HEADER_DIGEST_ERROR, pdu.getShort(Pdu.TERM_FES));
    }

    private ByteBuffer read(int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buf.hasRemaining()) {
            if (sockets.host().read(buf) < 0) {
                throw new IOException("connection closed after " + buf.position() + " of " + length + " bytes");
            }
        }
        return buf.flip();
    }

    private static int crc(ByteBuffer pdu, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(pdu.duplicate().position(offset).limit(offset + length));
        return (int) crc.getValue();
    }
}
