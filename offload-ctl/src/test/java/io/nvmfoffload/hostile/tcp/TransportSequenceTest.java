package io.nvmfoffload.hostile.tcp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.time.Duration;

import static io.nvmfoffload.hostile.tcp.HostileTarget.assertTerminated;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connection setup and PDU types out of place. FES values are those of TCP transport 1.0 figure 23
 * (C2HTermReq): 01h Invalid PDU Header Field, 02h PDU Sequence Error, 03h Header Digest Error,
 * 04h Data Transfer Out of Range, 05h Data Transfer Limit Exceeded, 06h Unsupported Parameter.
 */
class TransportSequenceTest {
    static final int FES_INVALID_HEADER_FIELD = 0x01;
    static final int FES_SEQUENCE_ERROR = 0x02;
    static final int FES_HEADER_DIGEST = 0x03;
    static final int FES_OUT_OF_RANGE = 0x04;
    static final int FES_LIMIT_EXCEEDED = 0x05;
    static final int FES_UNSUPPORTED_PARAMETER = 0x06;

    private HostileTarget target;

    @BeforeEach
    void start() throws IOException {
        target = HostileTarget.start();
    }

    @AfterEach
    void stop() {
        target.close();
    }

    /** Spec: ICReq is the first PDU and only the first; a second one is a PDU Sequence Error (FES 02h). */
    @Test
    void aSecondIcReqIsAPduSequenceError() throws IOException {
        try (SpecTcpHost h = target.initialized()) {
            h.send(PduBuilder.icReq(0, 0, 0, 0));
            assertTerminated(h, "second ICReq", FES_SEQUENCE_ERROR);
        }
        target.assertAlive();
    }

    /** Spec: a CapsuleCmd before any ICReq is a PDU Sequence Error (FES 02h). */
    @Test
    void aCapsuleBeforeTheIcReqIsAPduSequenceError() throws IOException {
        try (SpecTcpHost h = target.open()) {
            h.send(PduBuilder.capsuleCmd(Commands.connect(0, 31, 0).cid(1).bytes()));
            assertTerminated(h, "CapsuleCmd before ICReq", FES_SEQUENCE_ERROR);
        }
        target.assertAlive();
    }

    /** Spec: DGST bits 7:2 are reserved; ICResp enables only what bits 1:0 asked for and sets no reserved bit. */
    @ParameterizedTest(name = "DGST 0x{0}")
    @ValueSource(ints = {0xFC, 0xFD, 0xFF, 0x04})
    void reservedDigestBitsAreNotEchoedInIcResp(int dgst) throws IOException {
        try (SpecTcpHost h = target.open()) {
            ReceivedPdu resp = h.icReq(0, dgst, 0);
            assertEquals(0, resp.dgst() & 0xFC, () -> "ICResp DGST " + Integer.toHexString(resp.dgst()));
            assertEquals(0, resp.dgst() & ~dgst & 3, "ICResp enables a digest the ICReq did not ask for");
            assertEquals(128, resp.hlen(), "ICResp HLEN");
            assertEquals(128, resp.plen(), "ICResp PLEN");
            assertTrue(resp.maxH2cData() >= 4096, "MAXH2CDATA is at least 4096");
        }
        target.assertAlive();
    }

    /** Spec: an ICReq with a PFV other than 0 is refused naming PFV (FEI 8): FES Unsupported Parameter (06h) or Invalid PDU Header Field (01h). */
    @Test
    void anUnknownPduFormatVersionIsRefusedNamingPfv() throws IOException {
        try (SpecTcpHost h = target.open()) {
            h.send(PduBuilder.icReq(0x0100, 0, 0, 0));
            ReceivedPdu t = h.expectTermination();
            assertNotNull(t, "ICReq PFV 0100h: closed without a C2HTermReq");
            assertTrue((t.fes() == FES_UNSUPPORTED_PARAMETER || t.fes() == FES_INVALID_HEADER_FIELD) && t.fei() == 8,
                    "ICReq PFV 0100h: want FES 06h or 01h with FEI 8, got " + t);
            assertTrue(h.closedByPeerWithin(Duration.ofSeconds(5)), "connection still open after the C2HTermReq");
        }
        target.assertAlive();
    }

    /** Spec: a host never sends controller-to-host PDUs; each is a fatal error: Invalid PDU Header Field (FEI 0, PDU-Type) or PDU Sequence Error. */
    @ParameterizedTest(name = "type 0x{0}")
    @ValueSource(ints = {PduBuilder.ICRESP, PduBuilder.C2H_TERM_REQ, PduBuilder.CAPSULE_RESP, PduBuilder.C2H_DATA,
            PduBuilder.R2T})
    void controllerToHostPduTypesFromTheHostAreFatal(int type) throws IOException {
        try (SpecTcpHost h = target.initialized()) {
            h.send(PduBuilder.raw(type, new byte[type == PduBuilder.ICRESP ? 120 : 16]).flags(0));
            ReceivedPdu t = h.expectTermination();
            assertNotNull(t, "type " + type + ": closed without a C2HTermReq");
            assertTrue(t.fes() == FES_SEQUENCE_ERROR || (t.fes() == FES_INVALID_HEADER_FIELD && t.fei() == 0),
                    "type " + type + ": want FES 02h, or FES 01h with FEI 0; got " + t);
            assertTrue(h.closedByPeerWithin(Duration.ofSeconds(5)), "connection still open after the C2HTermReq");
        }
        target.assertAlive();
    }

    /** Spec: a PDU-Type no specification defines is an Invalid PDU Header Field at byte 0 (FES 01h, FEI 0). */
    @ParameterizedTest(name = "type 0x{0}")
    @ValueSource(ints = {0x08, 0x0A, 0x0B, 0x10, 0x7F, 0xFF})
    void unknownPduTypesAreAnInvalidHeaderField(int type) throws IOException {
        try (SpecTcpHost h = target.initialized()) {
            h.send(PduBuilder.raw(type, new byte[16]).flags(0));
            assertTerminated(h, "PDU type " + type, FES_INVALID_HEADER_FIELD, 0);
        }
        target.assertAlive();
    }

    /** Spec: after an H2CTermReq the controller closes the connection (and sends no C2HTermReq back). */
    @Test
    void anH2cTermReqClosesTheConnection() throws IOException {
        try (SpecTcpHost h = target.initialized()) {
            h.send(PduBuilder.h2cTermReq(FES_INVALID_HEADER_FIELD, 0));
            assertTrue(h.closedByPeerWithin(Duration.ofSeconds(5)), "connection still open after H2CTermReq");
        }
        target.assertAlive();
    }

    /** Spec: a CapsuleCmd whose header digest is wrong is a Header Digest Error (FES 03h). */
    @Test
    void aWrongHeaderDigestIsAHeaderDigestError() throws IOException {
        try (SpecTcpHost admin = target.admin(); SpecTcpHost io = target.open()) {
            io.icReq(0, 1, 0);
            assertTrue(io.headerDigest(), "header digest enabled");
            Sqe connect = Commands.connect(1, 31, 0).cid(1).inCapsuleSgl(Commands.CONNECT_DATA_LENGTH);
            io.send(io.capsule(connect, Commands.connectData(SpecTcpHost.hostId(HostileTarget.HOSTNQN), admin.cntlid(),
                    HostileTarget.SUBNQN, HostileTarget.HOSTNQN)).corruptHeaderDigest());
            assertTerminated(io, "CapsuleCmd with a wrong header digest", FES_HEADER_DIGEST);
        }
        target.assertAlive();
    }
}
