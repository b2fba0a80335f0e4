package io.nvmfoffload.hostile.tcp;

import io.nvmfoffload.nvmf.Port;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static io.nvmfoffload.hostile.tcp.HostileTarget.BLOCK;
import static io.nvmfoffload.hostile.tcp.HostileTarget.NSID;
import static io.nvmfoffload.hostile.tcp.HostileTarget.assertReads;
import static io.nvmfoffload.hostile.tcp.HostileTarget.pattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The port's max_io_size over NVMe/TCP, judged by the host written from the specification: MDTS in
 * Identify Controller, MAXH2CDATA in ICResp, writes and reads up to it, and a command whose SGL
 * is longer answered with Data SGL Length Invalid (DNR) before any data moves: no R2T, no C2HData.
 */
class MaxIoSizeTest {
    /** Status code 0Fh of the generic command status type (NVMe base specification, Figure "Generic Command Status Values"). */
    private static final int SC_DATA_SGL_LENGTH_INVALID = 0x0F;

    private static Completion identifyController(SpecTcpHost admin) throws IOException {
        Completion id = admin.identify(1, 0);
        assertTrue(id.success(), () -> "Identify Controller: " + id);
        return id;
    }

    @Test
    void byDefaultMdtsIs8AndWritesOf256KiBAnd1MiBReadBack() throws IOException {
        try (HostileTarget t = HostileTarget.start(); SpecTcpHost admin = t.admin(); SpecTcpHost io = t.io(admin, 1)) {
            assertEquals(8, identifyController(admin).data()[77] & 0xFF, "MDTS: 1 MiB in 4 KiB pages, as nvmet-rdma");
            assertEquals(Port.DEFAULT_MAX_IO_SIZE, io.maxH2cData(), "MAXH2CDATA: one H2CData PDU carries the largest write");
            for (int bytes : new int[] {256 << 10, 1 << 20}) {
                byte[] data = pattern(bytes, bytes >> 10);
                Completion w = io.writeByR2t(NSID, 0, data, BLOCK);
                assertTrue(w.success(), () -> bytes + "-byte write: " + w);
                assertReads(io, 0, data);
            }
            assertEquals(Port.DEFAULT_MAX_IO_SIZE + 64L * 1024, t.tcp().dataBuffers().inUseBytes(),
                    "each connected queue keeps its own buffer (the admin queue's is 64 KiB), nothing more is held");
            t.assertAlive();
        }
    }

    @Test
    void aCommandLongerThanMaxIoSizeIsRefusedBeforeAnyDataMoves() throws IOException {
        try (HostileTarget t = HostileTarget.start(256 << 10); SpecTcpHost admin = t.admin(); SpecTcpHost io = t.io(admin, 1)) {
            assertEquals(6, identifyController(admin).data()[77] & 0xFF, "MDTS: 256 KiB in 4 KiB pages");
            assertEquals(256 << 10, io.maxH2cData());
            byte[] most = pattern(256 << 10, 3);
            assertTrue(io.writeByR2t(NSID, 0, most, BLOCK).success(), "a write of max_io_size itself");
            assertReads(io, 0, most);

            int blocks = (512 << 10) / BLOCK;
            Completion read = io.read(NSID, 0, blocks, BLOCK);
            assertEquals(SC_DATA_SGL_LENGTH_INVALID, read.cqe().sc(), () -> "a 512 KiB read: " + read);
            assertTrue(read.cqe().dnr(), "do not retry: it can never succeed on this port");
            assertEquals(0, read.bytesReceived(), "no C2HData");
            // SpecTcpHost answers R2Ts as they come: a target that asked for the data would be seen here
            Completion write = io.writeByR2t(NSID, 0, pattern(512 << 10, 5), BLOCK);
            assertEquals(SC_DATA_SGL_LENGTH_INVALID, write.cqe().sc(), () -> "a 512 KiB write: " + write);
            assertTrue(write.cqe().dnr());
            assertReads(io, 0, most);
            t.assertAlive();
        }
    }

    @Test
    void aWriteMayComeInSeveralH2CDataPdusBelowMaxH2cData() throws IOException {
        try (HostileTarget t = HostileTarget.start(); SpecTcpHost admin = t.admin(); SpecTcpHost io = t.io(admin, 1)) {
            byte[] data = pattern(1 << 20, 9);
            int cid = io.nextCid();
            Sqe write = Commands.readWrite(Commands.OPC_WRITE, NSID, 0, data.length / BLOCK).cid(cid).transportSgl(data.length);
            io.send(io.capsule(write, null));
            ReceivedPdu r2t = io.receive();
            assertEquals(PduBuilder.R2T, r2t.type(), () -> "expected an R2T: " + r2t.describe());
            assertEquals(data.length, r2t.dataLength(), "one R2T for the whole write");
            int chunk = 96 << 10;  // the host may send less than MAXH2CDATA per PDU
            for (int off = 0; off < data.length; off += chunk) {
                int n = Math.min(chunk, data.length - off);
                io.send(io.h2cData(cid, r2t.ttag(), off, java.util.Arrays.copyOfRange(data, off, off + n), off + n == data.length));
            }
            io.expect(cid, null, 0);
            assertTrue(io.await(cid).success());
            assertReads(io, 0, data);
        }
    }
}
