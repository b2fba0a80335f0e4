package io.nvmfoffload.nvmf.transport.tcp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nvmfoffload.nvmf.transport.tcp.ddp.UlpDdpCapability;

class TcpTransportTest {
    private LoopbackTcpTarget target;
    private TcpTransport transport;
    private int boundPort;

    @BeforeEach
    void start() {
        target = LoopbackTcpTarget.start();
        transport = target.transport();
        boundPort = target.port();
    }

    @AfterEach
    void stop() {
        target.close();
    }

    private static ByteBuffer icReq(int digests) {
        ByteBuffer b = ByteBuffer.allocate(128).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, (byte) Pdu.IC_REQ).put(2, (byte) 128).putInt(4, 128).put(Pdu.IC_DGST, (byte) digests);
        return b;
    }

    @Test
    void icReqIsAnsweredWithIcRespAndTheNegotiatedDigests() throws IOException {
        try (Socket s = new Socket("127.0.0.1", boundPort)) {
            s.getOutputStream().write(icReq(3).array());
            byte[] resp = new DataInputStream(s.getInputStream()).readNBytes(128);
            ByteBuffer r = ByteBuffer.wrap(resp).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(Pdu.IC_RESP, r.get(0));
            assertEquals(128, r.getInt(4));
            assertEquals(3, r.get(Pdu.IC_DGST), "both digests accepted");
            assertEquals(transport.port().maxIoSize(), r.getInt(Pdu.IC_MAXR2T_MAXDATA), "MAXH2CDATA: the port's max_io_size");
        }
    }

    @Test
    void aCapsuleWithABadHeaderDigestEndsTheConnectionWithAHeaderDigestTermination() throws IOException {
        try (Socket s = target.greeted(1)) {
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            ByteBuffer cmd = ByteBuffer.allocate(72 + 4).order(ByteOrder.LITTLE_ENDIAN);
            cmd.put(0, (byte) Pdu.CAPSULE_CMD).put(1, (byte) Pdu.FLAG_HDGST).put(2, (byte) 72).putInt(4, 76);
            CRC32C crc = new CRC32C();
            crc.update(cmd.array(), 0, 72);
            cmd.putInt(72, (int) crc.getValue() ^ 0x1);  // one bit flipped in flight
            out.write(cmd.array());
            byte[] term = in.readNBytes(24);
            ByteBuffer t = ByteBuffer.wrap(term).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(Pdu.C2H_TERM_REQ, t.get(0), "a C2HTermReq");
            assertEquals(Pdu.FES_HEADER_DIGEST_ERROR, t.getShort(Pdu.TERM_FES));
            assertEquals(-1, in.read(), "the target closes the connection after terminating");
        }
    }

    @Test
    void aFirstPduThatIsNotIcReqIsAPduSequenceError() throws IOException {
        try (Socket s = new Socket("127.0.0.1", boundPort)) {
            ByteBuffer notIc = icReq(0);
            notIc.put(0, (byte) Pdu.CAPSULE_CMD);
            s.getOutputStream().write(notIc.array());
            ByteBuffer t = ByteBuffer.wrap(new DataInputStream(s.getInputStream()).readNBytes(24)).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(Pdu.C2H_TERM_REQ, t.get(0));
            assertEquals(Pdu.FES_PDU_SEQUENCE_ERROR, t.getShort(Pdu.TERM_FES));
        }
    }

    /** A Fabrics Connect of the admin queue with its 1024 bytes of in-capsule data and a data digest. */
    private static ByteBuffer connectCapsule(int cid, boolean corruptDigest) {
        return connectCapsule(cid, corruptDigest, 0);
    }

    private static ByteBuffer connectCapsule(int cid, boolean corruptDigest, int cattr) {
        int hlen = 72;
        ByteBuffer pdu = ByteBuffer.allocate(hlen + 1024 + 4).order(ByteOrder.LITTLE_ENDIAN);
        pdu.put(0, (byte) Pdu.CAPSULE_CMD).put(1, (byte) Pdu.FLAG_DDGST).put(2, (byte) hlen).put(3, (byte) hlen)
                .putInt(4, pdu.capacity());
        int sqe = 8;
        pdu.put(sqe, (byte) 0x7F).put(sqe + 1, (byte) 0x40).putShort(sqe + 2, (short) cid).put(sqe + 4, (byte) 0x01);
        pdu.putInt(sqe + 24 + 8, 1024).put(sqe + 24 + 15, (byte) 0x01);  // SGL: in-capsule data block
        pdu.putShort(sqe + 44, (short) 31);                                // SQSIZE
        pdu.put(sqe + 46, (byte) cattr);
        int data = hlen;
        pdu.putShort(data + 16, (short) 0xFFFF);                           // CNTLID: dynamic
        pdu.put(data + 256, "nqn.2026-11.io.test:tcp".getBytes(), 0, 23);
        pdu.put(data + 512, "nqn.2014-08.org.nvmexpress:uuid:test-host".getBytes(), 0, 41);
        CRC32C crc = new CRC32C();
        crc.update(pdu.array(), data, 1024);
        pdu.putInt(data + 1024, (int) crc.getValue() ^ (corruptDigest ? 0x10 : 0));
        return pdu;
    }

    /** The CQE status field (without the phase bit) of the next CapsuleResp. */
    private static int responseStatus(DataInputStream in) throws IOException {
        ByteBuffer r = ByteBuffer.wrap(in.readNBytes(24)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(Pdu.CAPSULE_RESP, r.get(0), "a CapsuleResp");
        return (r.getShort(8 + 14) & 0xFFFF) >>> 1;
    }

    /**
     * With data digests: a Connect whose data digest is wrong fails with Transient Transport
     * Error, DNR clear, and the same Connect sent again on the same connection succeeds.
     */
    private void corruptedConnectThenItsRetry() throws IOException {
        try (Socket s = target.greeted(2)) {
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            out.write(connectCapsule(1, true).array());
            int status = responseStatus(in);
            assertEquals(0x22, status & 0xFF, "Transient Transport Error");
            assertEquals(0, status & (1 << 14), "DNR clear: the host retries");
            out.write(connectCapsule(2, false).array());
            assertEquals(0, responseStatus(in), "the connection carries on and the retry succeeds");
        }
    }

    @Test
    void aDataDigestErrorFailsOnlyItsCommandWithARetryableTransportErrorAndTheOffloadResyncs() throws IOException {
        corruptedConnectThenItsRetry();
        var stats = transport.ddp().statistics().kernelCounters();
        assertEquals(1, stats.get("rx-nvme-tcp-drop"), "the offload's digest check caught it");
        assertEquals(1, stats.get("rx-nvme-tcp-resync"), "framing confirmed again at the next PDU");
        assertEquals(2048, stats.get("rx-nvme-tcp-bytes"), "both payloads placed");
        assertEquals(0, transport.ddp().statistics().copiedBytes());
    }

    @Test
    void withDdpOffPayloadIsCopiedAndTheDigestIsCheckedInSoftware() throws IOException {
        transport.ddp().setCaps(0, UlpDdpCapability.NVME_TCP.bit());
        corruptedConnectThenItsRetry();
        var stats = transport.ddp().statistics().kernelCounters();
        assertEquals(0, stats.get("rx-nvme-tcp-bytes"), "nothing placed");
        assertEquals(0, stats.get("rx-nvme-tcp-drop"), "the software check is not the offload's drop");
        assertEquals(0, stats.get("rx-nvme-tcp-sk-add"));
        assertEquals(2048, transport.ddp().statistics().copiedBytes());
    }

    @Test
    void closingTheConnectionDeletesItsOffloadedSocket() throws Exception {
        try (Socket s = target.greeted(0)) {
            assertEquals(1, transport.ddp().offloadedSockets());
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (transport.ddp().offloadedSockets() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, transport.ddp().offloadedSockets());
        assertTrue(transport.ddp().statistics().kernelCounters().get("rx-nvme-tcp-sk-del") == 1);
    }

    /** A command capsule without data digest: header only, or with an SGL asking for data by C2HData (transport data block). */
    private static ByteBuffer commandCapsule(int opcode, int cid, int dataLength, int cdw10, int fctype) {
        ByteBuffer pdu = ByteBuffer.allocate(72).order(ByteOrder.LITTLE_ENDIAN);
        pdu.put(0, (byte) Pdu.CAPSULE_CMD).put(2, (byte) 72).putInt(4, 72);
        pdu.put(8, (byte) opcode).put(8 + 1, (byte) 0x40).putShort(8 + 2, (short) cid);  // PSDT 01b: SGL
        if (opcode == 0x7F) {
            pdu.put(8 + 4, (byte) fctype);
        }
        if (dataLength > 0) {
            pdu.putInt(8 + 24 + 8, dataLength).put(8 + 24 + 15, (byte) 0x5A);
        }
        pdu.putInt(8 + 40, cdw10);
        return pdu;
    }

    /** Property Set of CC with EN = 1 and the NVM entry sizes: admin commands other than Fabrics ones need it. */
    private static ByteBuffer enableCapsule(int cid) {
        ByteBuffer pdu = commandCapsule(0x7F, cid, 0, 0, 0x00);
        pdu.putInt(8 + 44, 0x14);                           // property offset: CC
        pdu.putLong(8 + 48, 1 | 6 << 16 | 4 << 20);        // EN, IOSQES 6, IOCQES 4
        return pdu;
    }

    @Test
    void withSqFlowControlDisabledASuccessfulReadEndsWithItsDataPduAlone() throws IOException {
        try (Socket s = target.greeted(2)) {
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            out.write(connectCapsule(1, false, 0x04).array());  // CATTR: disable SQ flow control
            assertEquals(0, responseStatus(in));
            out.write(enableCapsule(2).array());
            assertEquals(0, responseStatus(in));
            out.write(commandCapsule(0x06, 5, 4096, 1, 0).array());  // Identify Controller
            ByteBuffer c2h = ByteBuffer.wrap(in.readNBytes(24)).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(Pdu.C2H_DATA, c2h.get(0));
            assertEquals(Pdu.FLAG_DATA_LAST | Pdu.FLAG_DATA_SUCCESS, c2h.get(1) & (Pdu.FLAG_DATA_LAST | Pdu.FLAG_DATA_SUCCESS),
                    "LAST and SUCCESS");
            assertEquals(4096 + 4, in.readNBytes(4096 + 4).length, "the data and its digest");
            out.write(commandCapsule(0x7F, 6, 0, 0, 0x04).array());  // Property Get CAP
            ByteBuffer next = ByteBuffer.wrap(in.readNBytes(24)).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(Pdu.CAPSULE_RESP, next.get(0));
            assertEquals(6, next.getShort(8 + 12), "the next PDU answers the next command: Identify had no response capsule");
        }
    }

    @Test
    void withSqFlowControlOnAReadGetsItsResponseCapsuleAfterTheData() throws IOException {
        try (Socket s = target.greeted(2)) {
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            out.write(connectCapsule(1, false).array());
            assertEquals(0, responseStatus(in));
            out.write(enableCapsule(2).array());
            assertEquals(0, responseStatus(in));
            out.write(commandCapsule(0x06, 5, 4096, 1, 0).array());
            ByteBuffer c2h = ByteBuffer.wrap(in.readNBytes(24)).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(0, c2h.get(1) & Pdu.FLAG_DATA_SUCCESS, "no SUCCESS flag");
            in.readNBytes(4096 + 4);
            ByteBuffer resp = ByteBuffer.wrap(in.readNBytes(24)).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(Pdu.CAPSULE_RESP, resp.get(0));
            assertEquals(5, resp.getShort(8 + 12));
        }
    }
}
