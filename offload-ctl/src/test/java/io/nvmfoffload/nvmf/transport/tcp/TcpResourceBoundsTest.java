package io.nvmfoffload.nvmf.transport.tcp;

import io.nvmfoffload.nvmf.HostLimits;
import io.nvmfoffload.nvmf.Port;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a host can make an NVMe/TCP port hold is bounded: connections, the time to Connect and to
 * finish a PDU, and data buffers; a correct host is served meanwhile. Capsules are built here from
 * the NVMe/TCP specification's offsets, not from the transport's code.
 */
class TcpResourceBoundsTest {
    private static final String HOST = "nqn.2014-08.org.nvmexpress:uuid:3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b";

    @Test
    void aConnectionThatNeverConnectsIsClosedAfterTheConnectTimeout() throws Exception {
        try (LoopbackTcpTarget target = LoopbackTcpTarget.start(limits(1024, 500, 30_000));
             Socket silent = new Socket("127.0.0.1", target.port());
             Socket onlyIcReq = target.greeted(0)) {
            assertEquals(0, target.transport().dataBuffers().inUseBytes(), "a connection takes data buffers only once it is connected");
            assertClosedWithin(silent, 5_000);
            assertClosedWithin(onlyIcReq, 5_000);
            awaitConnections(target, 0);
        }
    }

    @Test
    void connectionsReuseTheMemoryOfConnectionsThatClosed() throws Exception {
        try (LoopbackTcpTarget target = LoopbackTcpTarget.start(limits(1024, 60_000, 60_000))) {
            for (int i = 0; i < 50; i++) {
                target.greeted(0).close();
                awaitConnections(target, 0);
            }
            assertEquals(1, target.transport().connectionMemoryBlocksMade(), "one block, reused by each connection in turn");
        }
    }

    @Test
    void aSlowlorisPduIsCutOffAfterThePduTimeout() throws Exception {
        try (LoopbackTcpTarget target = LoopbackTcpTarget.start(limits(1024, 60_000, 600));
             Socket slow = new Socket("127.0.0.1", target.port())) {
            slow.setSoTimeout(10_000);
            OutputStream out = slow.getOutputStream();
            byte[] ic = icReq();
            long start = System.nanoTime();
            boolean closed = false;
            for (int i = 0; i < ic.length && !closed; i++) {  // one byte at a time, 100 ms apart
                try {
                    out.write(ic[i]);
                    out.flush();
                    Thread.sleep(100);
                } catch (IOException e) {
                    closed = true;
                }
            }
            if (!closed) {
                assertClosedWithin(slow, 5_000);
            }
            assertTrue(System.nanoTime() - start < 10_000_000_000L, "closed long before the ICReq was complete");
        }
    }

    @Test
    void connectionsBeyondThePortsLimitAreClosedAtAccept() throws Exception {
        try (LoopbackTcpTarget target = LoopbackTcpTarget.start(limits(3, 60_000, 60_000))) {
            List<Socket> open = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    open.add(target.greeted(0));
                }
                Socket fourth = new Socket("127.0.0.1", target.port());
                open.add(fourth);
                assertClosedWithin(fourth, 5_000);
                assertEquals(3, target.transport().connectionCount());
            } finally {
                for (Socket s : open) {
                    s.close();
                }
            }
        }
    }

    @Test
    void writesWhoseDataNeverComesHoldABoundedNumberOfBuffersAndACorrectHostIsStillServed() throws Exception {
        try (LoopbackTcpTarget target = LoopbackTcpTarget.start(limits(1024, 60_000, 60_000))) {
            List<Socket> hostile = new ArrayList<>();
            try {
                for (int q = 0; q < 4; q++) {
                    Socket admin = target.greeted(0);
                    hostile.add(admin);
                    int cntlid = connectEnabledIoQueueless(admin);
                    Socket io = target.greeted(0);
                    hostile.add(io);
                    io.getOutputStream().write(connectCapsule(1, 1, cntlid, 127));
                    assertEquals(0, status(new DataInputStream(io.getInputStream())), "I/O connect");
                    OutputStream out = io.getOutputStream();
                    // 100 writes of 32 KiB (Write, 64 blocks of 512) asking for R2Ts whose data never comes
                    for (int cid = 10; cid < 110; cid++) {
                        out.write(capsule(0x01, cid, 1, 32 * 1024, 63, false, null));
                    }
                    out.flush();
                }
                Thread.sleep(500);
                long held = target.transport().dataBuffers().inUseBytes();
                // each of the 8 connections keeps one buffer of its own (max_io_size, 1 MiB); the 4 I/O queues
                // borrow a bounded number of bytes more: 2 MiB, as 16 buffers of 128 KiB were
                long bound = 8L * Port.DEFAULT_MAX_IO_SIZE + 4 * ConnectionBuffers.MAX_BORROWED_BYTES;
                assertTrue(held <= bound, held + " bytes held for 400 writes without data, at most " + bound);
                assertTrue(held > 8L * Port.DEFAULT_MAX_IO_SIZE, "the writes borrowed buffers sized to them: " + held);
                try (Socket good = target.greeted(0)) {
                    connectEnabledIoQueueless(good);
                    byte[] id = identify(good, 50);
                    assertEquals(4096, id.length, "a correct host still gets its Identify data");
                }
            } finally {
                for (Socket s : hostile) {
                    s.close();
                }
            }
            awaitConnections(target, 0);
            assertEquals(0, target.transport().dataBuffers().inUseBytes(), "every buffer came back when the connections closed");
        }
    }

    @Test
    void anInCapsuleWriteWithPaddingBeforeItsDataRunsAsTheCommandItIs() throws Exception {
        try (LoopbackTcpTarget target = LoopbackTcpTarget.start()) {
            try (Socket s = target.greeted(0)) {
                int cntlid = connectEnabledIoQueueless(s);
                try (Socket io = target.greeted(0)) {
                    DataInputStream in = new DataInputStream(io.getInputStream());
                    io.getOutputStream().write(connectCapsule(1, 1, cntlid, 31));
                    assertEquals(0, status(in));
                    byte[] data = new byte[4096];
                    for (int i = 0; i < data.length; i++) {
                        data[i] = (byte) (i * 7 + 3);
                    }
                    // Write (01h) of 8 blocks of 512 at LBA 0, in-capsule, PDO 84: 12 pad bytes after the 72-byte header
                    io.getOutputStream().write(capsule(0x01, 7, 1, 4096, 7, true, data, 84));
                    ByteBuffer resp = ByteBuffer.wrap(in.readNBytes(24)).order(ByteOrder.LITTLE_ENDIAN);
                    assertEquals(0x05, resp.get(0));
                    assertEquals(7, resp.getShort(8 + 12) & 0xFFFF, "the response answers the write's CID");
                    assertEquals(0, (resp.getShort(8 + 14) & 0xFFFF) >>> 1, "the write succeeded");
                    io.getOutputStream().write(capsule(0x02, 8, 1, 4096, 7, false, null));  // Read the same blocks
                    ByteBuffer c2h = ByteBuffer.wrap(in.readNBytes(24)).order(ByteOrder.LITTLE_ENDIAN);
                    assertEquals(0x07, c2h.get(0), "C2HData");
                    assertArrayEquals(data, in.readNBytes(4096), "the data written is read back");
                }
            }
        }
    }

    // --- a host written from the NVMe/TCP and NVMe over Fabrics specifications ---

    private static HostLimits limits(int connections, int connectMillis, int pduMillis) {
        return new HostLimits(256, 16, connections, connectMillis, pduMillis, 64L << 20);
    }

    private static byte[] icReq() {
        ByteBuffer ic = ByteBuffer.allocate(128).order(ByteOrder.LITTLE_ENDIAN);
        ic.put(0, (byte) 0x00).put(2, (byte) 128).putInt(4, 128);
        return ic.array();
    }

    /** Admin Connect to the test subsystem and CC.EN = 1; returns the controller id. */
    private static int connectEnabledIoQueueless(Socket s) throws IOException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        s.getOutputStream().write(connectCapsule(1, 0, 0xFFFF, 31));
        ByteBuffer resp = ByteBuffer.wrap(in.readNBytes(24)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0, (resp.getShort(8 + 14) & 0xFFFF) >>> 1, "admin connect");
        int cntlid = resp.getShort(8) & 0xFFFF;
        byte[] cc = capsule(0x7F, 2, 0, 0, 0, false, null);
        ByteBuffer b = ByteBuffer.wrap(cc).order(ByteOrder.LITTLE_ENDIAN);
        b.put(8 + 4, (byte) 0x00).putInt(8 + 44, 0x14).putLong(8 + 48, 1 | 6 << 16 | 4 << 20);
        s.getOutputStream().write(cc);
        assertEquals(0, status(in), "CC.EN = 1");
        return cntlid;
    }

    private static byte[] identify(Socket s, int cid) throws IOException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        s.getOutputStream().write(capsule(0x06, cid, 0, 4096, 1, false, null));
        ByteBuffer c2h = ByteBuffer.wrap(in.readNBytes(24)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x07, c2h.get(0), "C2HData");
        byte[] data = in.readNBytes(4096);
        assertEquals(0, status(in));
        return data;
    }

    private static byte[] connectCapsule(int cid, int qid, int cntlid, int sqsize) {
        byte[] data = new byte[1024];
        ByteBuffer d = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        d.putLong(0, 0x3f1c2b4a5d6e4f70L).putLong(8, 0x8a9b0c1d2e3f4a5bL);  // HOSTID
        d.putShort(16, (short) cntlid);
        byte[] sub = LoopbackTcpTarget.NQN.getBytes();
        System.arraycopy(sub, 0, data, 256, sub.length);
        byte[] host = HOST.getBytes();
        System.arraycopy(host, 0, data, 512, host.length);
        byte[] pdu = capsule(0x7F, cid, 0, 1024, 0, true, data);
        ByteBuffer b = ByteBuffer.wrap(pdu).order(ByteOrder.LITTLE_ENDIAN);
        b.put(8 + 4, (byte) 0x01).putShort(8 + 42, (short) qid).putShort(8 + 44, (short) sqsize);
        return pdu;
    }

    private static byte[] capsule(int opcode, int cid, int nsid, int length, int cdw12, boolean inCapsule, byte[] data) {
        return capsule(opcode, cid, nsid, length, cdw12, inCapsule, data, 72);
    }

    /**
     * A CapsuleCmd PDU (type 04h, HLEN 72): the SQE with PSDT 01b, an SGL that is either a data block
     * with offset (in-capsule, at PDO) or a transport data block (R2T / C2HData), no digests.
     */
    private static byte[] capsule(int opcode, int cid, int nsid, int length, int cdw12, boolean inCapsule, byte[] data, int pdo) {
        int plen = inCapsule ? pdo + length : 72;
        ByteBuffer b = ByteBuffer.allocate(plen).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, (byte) 0x04).put(2, (byte) 72).put(3, (byte) (inCapsule ? pdo : 0)).putInt(4, plen);
        b.put(8, (byte) opcode).put(9, (byte) 0x40).putShort(10, (short) cid).putInt(12, nsid);
        b.putInt(8 + 24 + 8, length).put(8 + 24 + 15, (byte) (inCapsule ? 0x01 : 0x5A));
        b.putInt(8 + 40, opcode == 0x06 ? 1 : 0);   // Identify: CNS 1, the controller
        b.putInt(8 + 48, cdw12);
        if (inCapsule && data != null) {
            b.put(pdo, data);
        }
        return b.array();
    }

    private static int status(DataInputStream in) throws IOException {
        ByteBuffer r = ByteBuffer.wrap(in.readNBytes(24)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x05, r.get(0), "a CapsuleResp");
        return (r.getShort(8 + 14) & 0xFFFF) >>> 1;
    }

    private static void assertClosedWithin(Socket s, int millis) throws IOException {
        s.setSoTimeout(millis);
        InputStream in = s.getInputStream();
        long deadline = System.nanoTime() + millis * 1_000_000L;
        try {
            while (System.nanoTime() < deadline) {
                if (in.read(new byte[256]) < 0) {
                    return;
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the target did not close the connection within " + millis + " ms");
        } catch (IOException reset) {
            return;
        }
        throw new AssertionError("the target did not close the connection within " + millis + " ms");
    }

    private static void awaitConnections(LoopbackTcpTarget target, int count) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (target.transport().connectionCount() != count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(count, target.transport().connectionCount());
    }
}
