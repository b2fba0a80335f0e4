package io.nvmfoffload.target.transport.tcp;

import io.nvmfoffload.nvme.store.RamNamespaceStore;
import io.nvmfoffload.target.Port;
import io.nvmfoffload.target.Target;
import io.nvmfoffload.target.TransportType;
import io.nvmfoffload.target.core.TargetCore;
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

class TcpTransportTest {
    private TargetCore core;
    private TcpTransport transport;
    private int boundPort;

    @BeforeEach
    void start() {
        Target target = new Target();
        target.addSubsystem("nqn.2026-11.io.test:tcp", "SN", "model", true);
        target.addNamespace("nqn.2026-11.io.test:tcp", 1, RamNamespaceStore.create("ns", 512, 64));
        // service id 0 is not allowed in a Port, so find a free one first
        int free;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            free = probe.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Port port = Port.of(1, TransportType.TCP, "127.0.0.1", free);
        target.addPort(port);
        target.link(1, "nqn.2026-11.io.test:tcp");
        core = new TargetCore(target);
        transport = new TcpTransport(core, port);
        boundPort = transport.boundPort();
    }

    @AfterEach
    void stop() {
        transport.close();
        core.close();
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
            assertEquals(TcpConnection.MAX_H2C_DATA, r.getInt(Pdu.IC_MAXR2T_MAXDATA));
        }
    }

    @Test
    void aCapsuleWithABadHeaderDigestEndsTheConnectionWithAHeaderDigestTermination() throws IOException {
        try (Socket s = new Socket("127.0.0.1", boundPort)) {
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            out.write(icReq(1).array());
            in.readNBytes(128);
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
}
