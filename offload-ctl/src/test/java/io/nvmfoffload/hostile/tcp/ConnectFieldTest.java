package io.nvmfoffload.hostile.tcp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;

import static io.nvmfoffload.hostile.tcp.Commands.CONNECT_DATA_OFF_CNTLID;
import static io.nvmfoffload.hostile.tcp.Commands.CONNECT_DATA_OFF_HOSTNQN;
import static io.nvmfoffload.hostile.tcp.Commands.CONNECT_DATA_OFF_SUBNQN;
import static io.nvmfoffload.hostile.tcp.Commands.CONNECT_OFF_QID;
import static io.nvmfoffload.hostile.tcp.Commands.CONNECT_OFF_SQSIZE;
import static io.nvmfoffload.hostile.tcp.HostileTarget.HOSTNQN;
import static io.nvmfoffload.hostile.tcp.HostileTarget.SUBNQN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connect commands with one wrong field each (NVMe over Fabrics 1.1, 3.3). Connect Invalid
 * Parameters (SCT 1, SC 82h) puts the bad field in DW0: IPO (bits 15:0) is its byte offset, IATTR
 * bit 0 (bit 16) says whether that offset is into the Connect data (1) or the SQE (0).
 */
class ConnectFieldTest {
    private HostileTarget target;

    @BeforeEach
    void start() throws IOException {
        target = HostileTarget.start();
    }

    @AfterEach
    void stop() {
        target.close();
    }

    private Cqe connect(Sqe sqe, byte[] data) throws IOException {
        try (SpecTcpHost h = target.initialized()) {
            return h.connect(sqe, data).cqe();
        }
    }

    private static byte[] data(int cntlid, String subnqn, String hostnqn) {
        return Commands.connectData(SpecTcpHost.hostId(HOSTNQN), cntlid, subnqn, hostnqn);
    }

    private static void assertInvalidParameter(Cqe c, int iattr, int ipo, String what) {
        assertEquals(0x182, c.code(), () -> what + ": want Connect Invalid Parameters, got " + c);
        assertEquals(iattr, c.iattr() & 1, () -> what + ": IATTR of " + c);
        assertEquals(ipo, c.ipo(), () -> what + ": IPO of " + c);
    }

    /** Spec: an admin Connect must carry CNTLID FFFFh (dynamic model): Connect Invalid Parameters, IATTR 1, IPO 16 (nvmet). */
    @ParameterizedTest(name = "CNTLID 0x{0}")
    @ValueSource(ints = {0x0000, 0x0001, 0xFFFE - 1})
    void adminConnectWithACntlidOtherThanFfffIsAnInvalidParameter(int cntlid) throws IOException {
        Cqe c = connect(Commands.connect(0, 31, 0), data(cntlid, SUBNQN, HOSTNQN));
        assertInvalidParameter(c, 1, CONNECT_DATA_OFF_CNTLID, "admin Connect CNTLID " + cntlid);
        target.assertAlive();
    }

    /** Spec: RECFMT other than 0 is Connect Incompatible Format (SCT 1, SC 80h). */
    @Test
    void connectWithRecfmtOtherThanZeroIsAnIncompatibleFormat() throws IOException {
        Cqe c = connect(Commands.connect(0, 31, 0).u16(Commands.CONNECT_OFF_RECFMT, 1), data(0xFFFF, SUBNQN, HOSTNQN));
        assertEquals(0x180, c.code(), () -> "RECFMT 1: want Incompatible Format, got " + c);
        target.assertAlive();
    }

    /** Spec: SQSIZE is 0's based and a queue has at least 2 entries: SQSIZE 0 is Invalid Parameters, IATTR 0, IPO 44. */
    @Test
    void connectWithSqsizeZeroIsAnInvalidParameter() throws IOException {
        Cqe c = connect(Commands.connect(0, 0, 0), data(0xFFFF, SUBNQN, HOSTNQN));
        assertInvalidParameter(c, 0, CONNECT_OFF_SQSIZE, "admin Connect SQSIZE 0");
        target.assertAlive();
    }

    /** Spec: an I/O Connect for a controller that does not exist is Invalid Parameters, IATTR 1, IPO 16 (CNTLID). */
    @Test
    void ioConnectForAControllerThatDoesNotExistIsAnInvalidParameter() throws IOException {
        Cqe c = connect(Commands.connect(1, 31, 0), data(0x7777, SUBNQN, HOSTNQN));
        assertInvalidParameter(c, 1, CONNECT_DATA_OFF_CNTLID, "I/O Connect CNTLID 7777h");
        target.assertAlive();
    }

    /** Spec: an I/O Connect for a QID past the controller's queues is Invalid Parameters, IATTR 0, IPO 42 (QID). */
    @Test
    void ioConnectForAQidPastTheControllersQueuesIsAnInvalidParameter() throws IOException {
        try (SpecTcpHost admin = target.admin()) {
            Cqe c = connect(Commands.connect(0xFFFF, 31, 0), data(admin.cntlid(), SUBNQN, HOSTNQN));
            assertInvalidParameter(c, 0, CONNECT_OFF_QID, "I/O Connect QID FFFFh");
        }
        target.assertAlive();
    }

    /** Spec: an unknown SUBNQN is Invalid Parameters, IATTR 1, IPO 256. */
    @Test
    void connectToAnUnknownSubsystemIsAnInvalidParameter() throws IOException {
        Cqe c = connect(Commands.connect(0, 31, 0), data(0xFFFF, "nqn.2024-01.io.nvmfoffload:nosuch", HOSTNQN));
        assertInvalidParameter(c, 1, CONNECT_DATA_OFF_SUBNQN, "unknown SUBNQN");
        target.assertAlive();
    }

    /** Spec: an empty HOSTNQN is no NQN: Invalid Parameters with IATTR 1, IPO 512, or Connect Invalid Host (SC 84h). */
    @Test
    void connectWithAnEmptyHostNqnIsRefused() throws IOException {
        Cqe c = connect(Commands.connect(0, 31, 0), data(0xFFFF, SUBNQN, ""));
        if (c.code() != 0x184) {
            assertInvalidParameter(c, 1, CONNECT_DATA_OFF_HOSTNQN, "empty HOSTNQN");
        }
        target.assertAlive();
    }

    /** Spec: Connect transfers exactly 1024 bytes; less (0 or 512) is Data SGL Length Invalid (SC 0Fh). */
    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 512, 1020})
    void connectWithLessThan1024BytesOfDataIsADataSglLengthError(int length) throws IOException {
        byte[] d = java.util.Arrays.copyOf(data(0xFFFF, SUBNQN, HOSTNQN), length);
        Cqe c = connect(Commands.connect(0, 31, 0).inCapsuleSgl(length), d);
        assertEquals(0x00F, c.code(), () -> length + " bytes of Connect data: want Data SGL Length Invalid, got " + c);
        target.assertAlive();
    }

    /**
     * Spec: more than 1024 bytes is Data SGL Length Invalid unless Identify Controller SGLS bit 16
     * says the controller accepts an SGL longer than the data.
     */
    @Test
    void connectWithMoreThan1024BytesOfDataIsRefusedUnlessLongerSglsAreSupported() throws IOException {
        boolean longerSgls;
        try (SpecTcpHost admin = target.admin()) {
            Completion id = admin.identify(1, 0);
            assertTrue(id.success(), () -> "Identify Controller: " + id);
            longerSgls = (Le.u32(id.data(), 536) & 1 << 16) != 0;
        }
        byte[] d = java.util.Arrays.copyOf(data(0xFFFF, SUBNQN, HOSTNQN), 2048);
        Cqe c = connect(Commands.connect(0, 31, 0).inCapsuleSgl(d.length), d);
        if (longerSgls) {
            assertTrue(c.success(), () -> "2048 bytes with SGLS bit 16 set: " + c);
        } else {
            assertEquals(0x00F, c.code(), () -> "2048 bytes, SGLS bit 16 clear: want Data SGL Length Invalid, got " + c);
        }
        target.assertAlive();
    }
}
