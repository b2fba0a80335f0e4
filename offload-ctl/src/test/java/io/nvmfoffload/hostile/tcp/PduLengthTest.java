package io.nvmfoffload.hostile.tcp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.time.Duration;

import static io.nvmfoffload.hostile.tcp.HostileTarget.BLOCK;
import static io.nvmfoffload.hostile.tcp.HostileTarget.NSID;
import static io.nvmfoffload.hostile.tcp.HostileTarget.assertTerminated;
import static io.nvmfoffload.hostile.tcp.HostileTarget.pattern;
import static io.nvmfoffload.hostile.tcp.TransportSequenceTest.FES_INVALID_HEADER_FIELD;
import static io.nvmfoffload.hostile.tcp.TransportSequenceTest.FES_LIMIT_EXCEEDED;
import static io.nvmfoffload.hostile.tcp.TransportSequenceTest.FES_OUT_OF_RANGE;
import static io.nvmfoffload.hostile.tcp.TransportSequenceTest.FES_SEQUENCE_ERROR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every length field of CapsuleCmd and H2CData at and past its bounds (TCP transport 1.0, 3.3):
 * HLEN is fixed per PDU type (72 for CapsuleCmd, 24 for H2CData), PLEN is at least HLEN, PDO lies
 * between the header (and digest) and PLEN on the CPDA alignment, and H2CData carries DATAL bytes
 * at DATAO inside the range an R2T asked for. FEI is the byte offset of the bad field: HLEN 2,
 * PDO 3, PLEN 4, CCCID 8, TTAG 10, DATAO 12, DATAL 16.
 */
class PduLengthTest {
    private HostileTarget target;

    @BeforeEach
    void start() throws IOException {
        target = HostileTarget.start();
    }

    @AfterEach
    void stop() {
        target.close();
    }

    private static PduBuilder readCapsule(SpecTcpHost io) {
        return io.capsule(Commands.readWrite(Commands.OPC_READ, NSID, 0, 1).cid(io.nextCid()).transportSgl(BLOCK), null);
    }

    private static PduBuilder write512Capsule(SpecTcpHost io) {
        return io.capsule(Commands.readWrite(Commands.OPC_WRITE, NSID, 0, 1).cid(io.nextCid()).inCapsuleSgl(BLOCK),
                pattern(BLOCK, 3));
    }

    /** Spec: a CapsuleCmd's HLEN is 72; any other value is an Invalid PDU Header Field at HLEN (FEI 2). */
    @ParameterizedTest(name = "HLEN {0}")
    @ValueSource(ints = {0, 8, 71, 73, 80, 255})
    void capsuleHlenOtherThan72IsAnInvalidHeaderField(int hlen) throws IOException {
        try (SpecTcpHost admin = target.admin(); SpecTcpHost io = target.io(admin, 1)) {
            io.send(readCapsule(io).hlen(hlen).plen(Math.max(hlen, 72)));
            assertTerminated(io, "CapsuleCmd HLEN " + hlen, FES_INVALID_HEADER_FIELD, 2);
        }
        target.assertAlive();
    }

    /** Spec: PLEN below HLEN cannot hold the header: Invalid PDU Header Field at PLEN (FEI 4). */
    @ParameterizedTest(name = "PLEN {0}")
    @ValueSource(ints = {0, 8, 71})
    void capsulePlenBelowHlenIsAnInvalidHeaderField(int plen) throws IOException {
        try (SpecTcpHost admin = target.admin(); SpecTcpHost io = target.io(admin, 1)) {
            io.send(readCapsule(io).plen(plen));
            assertTerminated(io, "CapsuleCmd PLEN " + plen, FES_INVALID_HEADER_FIELD, 4);
        }
        target.assertAlive();
    }

    /** Spec: a PLEN of 4 GiB exceeds any capsule the controller accepts: Invalid PDU Header Field at PLEN or Data Transfer Limit Exceeded, at once. */
    @Test
    void capsulePlenOfFourGibIsRefusedAtOnce() throws IOException {
        try (SpecTcpHost admin = target.admin(); SpecTcpHost io = target.io(admin, 1)) {
            io.send(write512Capsule(io).plen(0xFFFFFFFFL));
            ReceivedPdu t = io.expectTermination();
            assertNotNull(t, "closed without a C2HTermReq");
            assertTrue((t.fes() == FES_INVALID_HEADER_FIELD && t.fei() == 4) || t.fes() == FES_LIMIT_EXCEEDED,
                    "want FES 01h FEI 4 or FES 05h, got " + t);
        }
        target.assertAlive();
    }

    /** Spec: PDO past PLEN, inside the header, or off the CPDA alignment is an Invalid PDU Header Field at PDO (FEI 3). */
    @ParameterizedTest(name = "PDO {0}")
    @ValueSource(ints = {40, 71, 74, 250})
    void capsulePdoOutsideItsPlaceIsAnInvalidHeaderField(int pdo) throws IOException {
        try (SpecTcpHost admin = target.admin(); SpecTcpHost io = target.io(admin, 1)) {
            io.send(write512Capsule(io).pdo(pdo));
            assertTerminated(io, "CapsuleCmd PDO " + pdo, FES_INVALID_HEADER_FIELD, 3);
        }
        target.assertAlive();
    }

    /** Spec: PDO past PLEN (data of 16 bytes, PDO 200) is an Invalid PDU Header Field at PDO (FEI 3). */
    @Test
    void capsulePdoBeyondPlenIsAnInvalidHeaderField() throws IOException {
        try (SpecTcpHost admin = target.admin(); SpecTcpHost io = target.io(admin, 1)) {
            Sqe w = Commands.readWrite(Commands.OPC_WRITE, NSID, 0, 1).cid(io.nextCid()).inCapsuleSgl(16);
            io.send(io.capsule(w, new byte[16]).pdo(200));
            assertTerminated(io, "CapsuleCmd PDO 200 > PLEN 88", FES_INVALID_HEADER_FIELD, 3);
        }
        target.assertAlive();
    }

    /** Starts a 4 KiB write by R2T and returns the R2T. */
    private static ReceivedPdu r2tFor(SpecTcpHost io, int cid, int length) throws IOException {
        io.send(io.capsule(Commands.readWrite(Commands.OPC_WRITE, NSID, 64, length / BLOCK).cid(cid)
                .transportSgl(length), null));
        ReceivedPdu r2t = io.receive();
        assertEquals(PduBuilder.R2T, r2t.type(), () -> "expected R2T, got " + r2t);
        return r2t;
    }

    /** Spec: H2CData with DATAL 0 carries nothing an R2T asked for: Invalid PDU Header Field at DATAL (FEI 16). */
    @Test
    void h2cDataWithDatalZeroIsAnInvalidHeaderField() throws IOException {
        try (SpecTcpHost admin = target.admin(); SpecTcpHost io = target.io(admin, 1)) {
            int cid = io.nextCid();
            ReceivedPdu r2t = r2tFor(io, cid, 4096);
            io.send(PduBuilder.h2cData(cid, r2t.ttag(), 0, 0).flag(PduBuilder.FLAG_LAST_PDU));
            assertTerminated(io, "H2CData DATAL 0", FES_INVALID_HEADER_FIELD, 16);
        }
        target.assertAlive();
    }

    /** Spec: H2CData at a DATAO outside the R2T's range is Data Transfer Out of Range (FES 04h). */
    @Test
    void h2cDataAtADataoPastTheR2tIsOutOfRange() throws IOException {
        try (SpecTcpHost admin = target.admin(); SpecTcpHost io = target.io(admin, 1)) {
            int cid = io.nextCid();
            ReceivedPdu r2t = r2tFor(io, cid, 4096);
            int past = r2t.dataOffset() + r2t.dataLength();
            io.send(io.h2cData(cid, r2t.ttag(), past, new byte[512], true));
            assertTerminated(io, "H2CData DATAO " + past, FES_OUT_OF_RANGE);
        }
        target.assertAlive();
    }

    /** Spec: H2CData longer than the R2T asked for is Data Transfer Out of Range (04h), or Limit Exceeded (05h) past MAXH2CDATA. */
    @Test
    void h2cDataLongerThanTheR2tIsOutOfRange() throws IOException {
        try (SpecTcpHost admin = target.admin(); SpecTcpHost io = target.io(admin, 1)) {
            int cid = io.nextCid();
            ReceivedPdu r2t = r2tFor(io, cid, 4096);
            int length = r2t.dataLength() + 512;
            io.send(io.h2cData(cid, r2t.ttag(), r2t.dataOffset(), new byte[length], true));
            ReceivedPdu t = io.expectTermination();
            assertNotNull(t, "closed without a C2HTermReq");
            assertTrue(t.fes() == FES_OUT_OF_RANGE || (length > io.maxH2cData() && t.fes() == FES_LIMIT_EXCEEDED),
                    "want FES 04h (or 05h above MAXH2CDATA " + io.maxH2cData() + "), got " + t);
        }
        target.assertAlive();
    }

    /** Spec: H2CData whose DATAL says 4096 in a PLEN that holds 2048 bytes is an Invalid PDU Header Field (PLEN or DATAL). */
    @Test
    void h2cDataWhoseDatalDisagreesWithPlenIsAnInvalidHeaderField() throws IOException {
        try (SpecTcpHost admin = target.admin(); SpecTcpHost io = target.io(admin, 1)) {
            int cid = io.nextCid();
            ReceivedPdu r2t = r2tFor(io, cid, 4096);
            io.send(PduBuilder.h2cData(cid, r2t.ttag(), 0, 4096).data(new byte[2048]).flag(PduBuilder.FLAG_LAST_PDU));
            assertTerminated(io, "H2CData DATAL 4096 in 2048 bytes", FES_INVALID_HEADER_FIELD, 4, 16);
        }
        target.assertAlive();
    }

    /** Spec: a TTAG no R2T gave out is an Invalid PDU Header Field at TTAG (FEI 10), or a PDU Sequence Error. */
    @Test
    void h2cDataWithAnUnknownTtagIsFatal() throws IOException {
        try (SpecTcpHost admin = target.admin(); SpecTcpHost io = target.io(admin, 1)) {
            int cid = io.nextCid();
            ReceivedPdu r2t = r2tFor(io, cid, 4096);
            io.send(io.h2cData(cid, r2t.ttag() ^ 0x5A5A, 0, new byte[4096], true));
            assertFatalHeaderOrSequence(io, "unknown TTAG", 10);
        }
        target.assertAlive();
    }

    /** Spec: H2CData with no R2T outstanding is a PDU Sequence Error, or an Invalid PDU Header Field at CCCID/TTAG. */
    @Test
    void h2cDataWithoutAnR2tIsFatal() throws IOException {
        try (SpecTcpHost admin = target.admin(); SpecTcpHost io = target.io(admin, 1)) {
            io.send(io.h2cData(77, 0, 0, new byte[512], true));
            assertFatalHeaderOrSequence(io, "H2CData without R2T", 8, 10);
        }
        target.assertAlive();
    }

    private static void assertFatalHeaderOrSequence(SpecTcpHost io, String what, int... feis) throws IOException {
        ReceivedPdu t = io.expectTermination();
        assertNotNull(t, what + ": closed without a C2HTermReq");
        boolean headerField = t.fes() == FES_INVALID_HEADER_FIELD
                && java.util.Arrays.stream(feis).anyMatch(f -> f == t.fei());
        assertTrue(headerField || t.fes() == FES_SEQUENCE_ERROR, what + ": got " + t);
        assertTrue(io.closedByPeerWithin(Duration.ofSeconds(5)), what + ": connection still open after the C2HTermReq");
    }
}
