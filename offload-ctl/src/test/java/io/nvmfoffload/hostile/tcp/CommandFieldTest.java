package io.nvmfoffload.hostile.tcp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;

import static io.nvmfoffload.hostile.tcp.HostileTarget.BLOCK;
import static io.nvmfoffload.hostile.tcp.HostileTarget.BLOCKS;
import static io.nvmfoffload.hostile.tcp.HostileTarget.NSID;
import static io.nvmfoffload.hostile.tcp.HostileTarget.assertReads;
import static io.nvmfoffload.hostile.tcp.HostileTarget.pattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SQE fields and queue use a fabrics controller must refuse without harm. */
class CommandFieldTest {
    private HostileTarget target;

    @BeforeEach
    void start() throws IOException {
        target = HostileTarget.start();
    }

    @AfterEach
    void stop() {
        target.close();
    }

    /** Spec (Base 2.0 CDW0 PSDT; nvmet_req_init): a fabrics command uses PSDT 01b; 00b, 10b and 11b are Invalid Field in Command with DNR. */
    @ParameterizedTest(name = "PSDT {0}")
    @ValueSource(ints = {0, 2, 3})
    void aPsdtOtherThan01bIsInvalidField(int psdt) throws IOException {
        try (SpecTcpHost admin = target.admin(); SpecTcpHost io = target.io(admin, 1)) {
            Completion read = io.execute(Commands.readWrite(Commands.OPC_READ, NSID, 0, 1).psdt(psdt), null, null, BLOCK);
            assertEquals(0x002, read.cqe().code(), () -> "Read with PSDT " + psdt + ": " + read);
            assertTrue(read.cqe().dnr(), "DNR");
            assertEquals(0, read.bytesReceived(), "data sent for a refused Read");
            Completion id = admin.execute(Commands.identify(1, 0).psdt(psdt), null, null, 4096);
            assertEquals(0x002, id.cqe().code(), () -> "Identify with PSDT " + psdt + ": " + id);
        }
        target.assertAlive();
    }

    /**
     * Spec: SQSIZE 4 is a 5-entry queue that holds 4 commands and a host must not submit to a full
     * queue; a target that gets 16 at once may fail the excess or end the connection, but must not
     * hang, answer Internal Error, or report an SQHD outside the queue.
     */
    @Test
    void moreCommandsThanTheQueueHoldsAreRefusedWithoutHarm() throws IOException {
        try (SpecTcpHost admin = target.admin(); SpecTcpHost io = target.io(admin, 1, 0, 4)) {
            List<Integer> cids = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                cids.add(io.submit(Commands.readWrite(Commands.OPC_READ, NSID, i, 8), null, null, 4096));
            }
            List<Completion> done = new ArrayList<>();
            try {
                while (done.size() < cids.size()) {
                    done.add(io.awaitAny());
                }
            } catch (TermReqException | EOFException | SocketException e) {
                // ending the connection is one of the allowed answers
            }
            for (Completion c : done) {
                assertTrue(c.cqe().code() != 0x006, () -> "Internal Error: " + c);
                assertTrue(c.viaSuccessFlag() || c.cqe().sqhd() <= 4, () -> "SQHD outside a 5-entry queue: " + c);
            }
        }
        target.assertAlive();
    }

    /**
     * Spec (NVM command set 1.0, 3.2.3): a Dataset Management range past the namespace's end is LBA
     * Out of Range, and the failed command deallocates none of its ranges.
     */
    @Test
    void deallocateWithOneRangePastTheEndFailsAndDeallocatesNothing() throws IOException {
        try (SpecTcpHost admin = target.admin(); SpecTcpHost io = target.io(admin, 1)) {
            byte[] data = pattern(4096, 99);
            assertTrue(io.writeInCapsule(NSID, 300, data, BLOCK).success());
            byte[] ranges = Commands.dsmRanges(new long[][] {{300, 8}, {BLOCKS - 4, 8}});
            Completion c = io.execute(Commands.deallocate(NSID, 2), ranges, null, 0);
            assertEquals(0x080, c.cqe().code(), () -> "DSM with a range past the end: want LBA Out of Range, got " + c);
            assertReads(io, 300, data);

            Completion beyond = io.execute(Commands.deallocate(NSID, 1), Commands.dsmRanges(new long[][] {{BLOCKS, 1}}),
                    null, 0);
            assertEquals(0x080, beyond.cqe().code(), () -> "DSM starting at the capacity: " + beyond);
        }
        target.assertAlive();
    }
}
