package io.nvmfoffload.hostile.tcp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static io.nvmfoffload.hostile.tcp.HostileTarget.BLOCK;
import static io.nvmfoffload.hostile.tcp.HostileTarget.NSID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fabrics commands on a queue they do not belong to. Property Get and Set are Admin Queue commands
 * (NVMe over Fabrics 1.1, 3.4 and 3.5); Disconnect deletes an I/O queue and is not for the Admin
 * Queue (3.6). A refusal must leave the controller as it was.
 */
class QueueTypeRulesTest {
    private HostileTarget target;

    @BeforeEach
    void start() throws IOException {
        target = HostileTarget.start();
    }

    @AfterEach
    void stop() {
        target.close();
    }

    /** Spec: Property Set (CC=0) on I/O queue 1 is refused (nvmet: Invalid Command Opcode) and the controller stays enabled. */
    @Test
    void propertySetOnAnIoQueueIsRefusedAndDoesNotDisableTheController() throws IOException {
        try (SpecTcpHost admin = target.admin(); SpecTcpHost io = target.io(admin, 1)) {
            Cqe c = io.propertySet(Commands.PROP_CC, false, 0);
            assertNotForThisQueue(c);
            assertStillEnabled(admin, io);
        }
        target.assertAlive();
    }

    /** Spec: Property Get on I/O queue 1 is refused (nvmet: Invalid Command Opcode). */
    @Test
    void propertyGetOnAnIoQueueIsRefused() throws IOException {
        try (SpecTcpHost admin = target.admin(); SpecTcpHost io = target.io(admin, 1)) {
            Cqe c = io.propertyGet(Commands.PROP_CSTS, false);
            assertNotForThisQueue(c);
            assertStillEnabled(admin, io);
        }
        target.assertAlive();
    }

    /** Spec: Disconnect on the Admin Queue fails with Invalid Queue Type (SCT 1 SC 85h), or Invalid Command Opcode where Disconnect is not supported (nvmet). */
    @Test
    void disconnectOnTheAdminQueueIsRefusedAndChangesNothing() throws IOException {
        try (SpecTcpHost admin = target.admin(); SpecTcpHost io = target.io(admin, 1)) {
            Cqe c = admin.execute(Commands.disconnect()).cqe();
            assertTrue(c.code() == 0x185 || c.code() == 0x001,
                    "Disconnect on the Admin Queue: want Invalid Queue Type or Invalid Command Opcode, got " + c);
            assertStillEnabled(admin, io);
        }
        target.assertAlive();
    }

    /** Spec: Disconnect on an I/O queue deletes that queue only (or is Invalid Command Opcode if unsupported); the admin queue and other I/O queues keep working. */
    @Test
    void disconnectOnAnIoQueueLeavesTheRestOfTheControllerServing() throws IOException {
        try (SpecTcpHost admin = target.admin(); SpecTcpHost io1 = target.io(admin, 1);
             SpecTcpHost io2 = target.io(admin, 2)) {
            Cqe c = io1.execute(Commands.disconnect()).cqe();
            assertTrue(c.success() || c.code() == 0x001,
                    "Disconnect on an I/O queue: want success or Invalid Command Opcode, got " + c);
            assertStillEnabled(admin, io2);
        }
        target.assertAlive();
    }

    /** Invalid Command Opcode is what nvmet answers; Invalid Queue Type is the Fabrics status for "wrong queue type". */
    private static void assertNotForThisQueue(Cqe c) {
        assertTrue(c.code() == 0x001 || c.code() == 0x185,
                "want Invalid Command Opcode (SCT 0 SC 1) or Invalid Queue Type (SCT 1 SC 85h), got " + c);
    }

    private static void assertStillEnabled(SpecTcpHost admin, SpecTcpHost io) throws IOException {
        Cqe cc = admin.propertyGet(Commands.PROP_CC, false);
        assertTrue(cc.success(), () -> "Property Get CC: " + cc);
        assertEquals(1, cc.dw0() & 1, "CC.EN after the refused command");
        Cqe csts = admin.propertyGet(Commands.PROP_CSTS, false);
        assertEquals(1, csts.dw0() & 1, "CSTS.RDY after the refused command");
        Completion r = io.read(NSID, 0, 1, BLOCK);
        assertTrue(r.success(), () -> "I/O after the refused command: " + r);
    }
}
