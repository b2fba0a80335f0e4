package io.nvmfoffload.hostile.tcp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.Arrays;

import static io.nvmfoffload.hostile.tcp.HostileTarget.BLOCK;
import static io.nvmfoffload.hostile.tcp.HostileTarget.NSID;
import static io.nvmfoffload.hostile.tcp.HostileTarget.assertReads;
import static io.nvmfoffload.hostile.tcp.HostileTarget.pattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Data that starts at PDO with PAD bytes before it (TCP transport 1.0, 3.3.1: PDO is the offset of
 * the data from the start of the PDU; PAD is whatever lies between the header, or its digest, and
 * PDO). Each case runs without digests, with a header digest, with a data digest and with both.
 */
class PaddedDataTest {
    private HostileTarget target;

    @BeforeEach
    void start() throws IOException {
        target = HostileTarget.start();
    }

    @AfterEach
    void stop() {
        target.close();
    }

    /** Spec: the capsule's data is the 4 KiB at PDO (84 with HLEN 72, 12 PAD bytes); the Write runs with its CID. */
    @ParameterizedTest(name = "DGST {0}")
    @ValueSource(ints = {0, 1, 2, 3})
    void inCapsuleWriteWithPadBeforeItsDataIsExecutedAsThatWrite(int dgst) throws IOException {
        try (SpecTcpHost admin = target.admin(dgst); SpecTcpHost io = target.io(admin, 1, dgst, 31)) {
            assertDigests(io, dgst);
            byte[] data = pattern(4096, 11);
            int cid = io.nextCid();
            Sqe write = Commands.readWrite(Commands.OPC_WRITE, NSID, 8, 8).cid(cid).inCapsuleSgl(data.length);
            int dataStart = 72 + (io.headerDigest() ? 4 : 0);
            int pad = 12 + io.alignmentPad(dataStart + 12);
            io.expect(cid, null, 0);
            io.send(PduBuilder.capsuleCmd(write.bytes()).digests(io.headerDigest(), io.dataDigest()).data(data).pad(pad));
            Completion c = io.await(cid);
            assertTrue(c.success(), () -> "padded in-capsule write: " + c);
            assertEquals(cid, c.cqe().cid());
            assertReads(io, 8, data);
        }
        target.assertAlive();
    }

    /** Spec: each H2CData PDU's data is DATAL bytes at its PDO (8 PAD bytes here), placed at DATAO. */
    @ParameterizedTest(name = "DGST {0}")
    @ValueSource(ints = {0, 1, 2, 3})
    void h2cDataWithPadBeforeItsDataIsPlacedAtDatao(int dgst) throws IOException {
        try (SpecTcpHost admin = target.admin(dgst); SpecTcpHost io = target.io(admin, 1, dgst, 31)) {
            assertDigests(io, dgst);
            byte[] data = pattern(8192, 23);
            int cid = io.nextCid();
            Sqe write = Commands.readWrite(Commands.OPC_WRITE, NSID, 32, data.length / BLOCK).cid(cid)
                    .transportSgl(data.length);
            io.expect(cid, null, 0);
            io.send(io.capsule(write, null));
            int sent = 0;
            while (sent < data.length) {
                ReceivedPdu r2t = io.receive();
                assertEquals(PduBuilder.R2T, r2t.type(), () -> "expected R2T, got " + r2t);
                assertEquals(cid, r2t.cccid());
                int end = r2t.dataOffset() + r2t.dataLength();
                for (int off = r2t.dataOffset(); off < end; ) {
                    int n = Math.min(io.maxH2cData(), end - off);
                    int dataStart = 24 + (io.headerDigest() ? 4 : 0);
                    io.send(PduBuilder.h2cData(cid, r2t.ttag(), off, n).digests(io.headerDigest(), io.dataDigest())
                            .data(Arrays.copyOfRange(data, off, off + n)).pad(8 + io.alignmentPad(dataStart + 8))
                            .flag(off + n == end ? PduBuilder.FLAG_LAST_PDU : 0));
                    off += n;
                    sent += n;
                }
            }
            Completion c = io.await(cid);
            assertTrue(c.success(), () -> "write with padded H2CData: " + c);
            assertReads(io, 32, data);
        }
        target.assertAlive();
    }

    private static void assertDigests(SpecTcpHost io, int dgst) {
        assertEquals((dgst & 1) != 0, io.headerDigest(), "header digest enabled as the ICReq asked");
        assertEquals((dgst & 2) != 0, io.dataDigest(), "data digest enabled as the ICReq asked");
    }
}
