package io.nvmfoffload.hostile.tcp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static io.nvmfoffload.hostile.tcp.HostileTarget.BLOCK;
import static io.nvmfoffload.hostile.tcp.HostileTarget.HOSTNQN;
import static io.nvmfoffload.hostile.tcp.HostileTarget.NSID;
import static io.nvmfoffload.hostile.tcp.HostileTarget.SUBNQN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Commands before CC.EN = 1 and CSTS.RDY = 1. Until then a fabrics controller processes Fabrics
 * commands only (Base 2.0, 3.5.2); nvmet's nvmet_check_ctrl_status answers every other admin and
 * I/O command with Command Sequence Error (SCT 0, SC 0Ch) and DNR.
 */
class BeforeEnableTest {
    private HostileTarget target;

    @BeforeEach
    void start() throws IOException {
        target = HostileTarget.start();
    }

    @AfterEach
    void stop() {
        target.close();
    }

    /** Spec: Identify, Get Log Page, Get Features and Keep Alive before enable are Command Sequence Errors; Property Get still works. */
    @Test
    void adminCommandsBeforeEnableAreCommandSequenceErrors() throws IOException {
        try (SpecTcpHost admin = target.initialized()) {
            Cqe connect = admin.connectAdmin(HOSTNQN, SUBNQN, 0);
            assertTrue(connect.success(), () -> "admin Connect: " + connect);
            assertSequenceError(admin.identify(1, 0), "Identify");
            assertSequenceError(admin.getLogPage(0x02, 0xFFFFFFFF, 0, 512), "Get Log Page");
            assertSequenceError(admin.getFeatures(0x07, 0), "Get Features");
            assertSequenceError(admin.execute(Sqe.of(Commands.OPC_KEEP_ALIVE)), "Keep Alive");
            Cqe csts = admin.propertyGet(Commands.PROP_CSTS, false);
            assertTrue(csts.success(), () -> "Property Get before enable: " + csts);
            assertEquals(0, csts.dw0() & 1, "CSTS.RDY before enable");
        }
        target.assertAlive();
    }

    /** Spec: I/O on a controller that is not enabled is refused (the I/O Connect or the Read: Command Sequence Error), never executed. */
    @Test
    void ioBeforeEnableIsNeverExecuted() throws IOException {
        try (SpecTcpHost admin = target.initialized(); SpecTcpHost io = target.initialized()) {
            Cqe connect = admin.connectAdmin(HOSTNQN, SUBNQN, 0);
            assertTrue(connect.success(), () -> "admin Connect: " + connect);
            Cqe ioConnect = io.connectIo(HOSTNQN, SUBNQN, admin.cntlid(), 1, 31);
            if (ioConnect.success()) {
                Completion r = io.read(NSID, 0, 1, BLOCK);
                assertSequenceError(r, "Read before enable");
            } else {
                assertFalse(ioConnect.code() == 0x006, () -> "I/O Connect before enable: Internal Error " + ioConnect);
                assertTrue(ioConnect.code() == 0x00C || ioConnect.code() == 0x182,
                        () -> "I/O Connect before enable: want Command Sequence Error or Invalid Parameters, got " + ioConnect);
            }
        }
        target.assertAlive();
    }

    private static void assertSequenceError(Completion c, String what) {
        assertEquals(0x00C, c.cqe().code(), () -> what + " before enable: want Command Sequence Error, got " + c);
        assertTrue(c.cqe().dnr(), () -> what + ": DNR on " + c);
        assertEquals(0, c.bytesReceived(), what + ": data sent for a refused command");
    }
}
