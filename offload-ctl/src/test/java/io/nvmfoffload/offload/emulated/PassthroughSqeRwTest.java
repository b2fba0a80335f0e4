package io.nvmfoffload.offload.emulated;

import io.nvmfoffload.nvme.spec.SubmissionQueueEntry;
import io.nvmfoffload.verbs.nvmf.OffloadOp;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.List;

import static io.nvmfoffload.offload.emulated.SpecCapsules.KEYED_ADDRESS;
import static io.nvmfoffload.offload.emulated.SpecCapsules.READ;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * passthrough_sqe_rw: the backend SQE of a read or write is the host's SQE as it came, where the
 * engine otherwise rebuilds it from the opcode and CDW10-15. Either way the device puts in its own
 * CID (the slot), NSID (the backend's), PSDT, MPTR and PRPs into the slot. The capsules set CDW2-3
 * (which NVMe gives to commands such as the storage tag of end-to-end protection) and MPTR.
 */
class PassthroughSqeRwTest {
    private static final int FRONTEND_NSID = 5;

    /** A read (or flush) of front-end nsid 5 with CDW2, CDW3, MPTR and CDW13 set, as the host built it. */
    private static ByteBuffer readWithEveryDword(int opcode) {
        ByteBuffer b = opcode == SpecCapsules.FLUSH ? SpecCapsules.flush(9, FRONTEND_NSID)
                : SpecCapsules.keyed(READ, 9, FRONTEND_NSID, 2, 1024, 0x7000_0000L, 0x77, KEYED_ADDRESS);
        return b.putInt(8, 0x1111_2222).putInt(12, 0x3333_4444).putLong(16, 0x5555_6666_7777_8888L).putInt(52, 0x0000_00A5);
    }

    /**
     * CDW2 and CDW3 of the backend SQE the engine writes for {@code capsule}, with or without
     * passthrough, once what is always the device's own and what always passes were checked.
     */
    private static List<Integer> backendCdw2And3(boolean passthrough, ByteBuffer capsule) {
        try (EngineFixture f = new EngineFixture(4, EnumSet.allOf(OffloadOp.class), passthrough)) {
            FakeNvmeBackend backend = f.backend(1, 8, FRONTEND_NSID);
            assertTrue(f.offer(EngineFixture.queue(1, 32, 1), capsule));
            SubmissionQueueEntry sqe = backend.take();
            assertEquals(OffloadCommandState.AT_BACKEND, f.slots.get(sqe.cid()).state, "the CID is the engine's slot");
            assertEquals(1, sqe.nsid(), "the backend's nsid");
            assertEquals(SubmissionQueueEntry.PSDT_PRP, sqe.psdt());
            assertEquals(0, sqe.mptr(), "no host address reaches the backend");
            assertEquals(0xA5, sqe.cdw13(), "CDW10-15 always pass");
            if (sqe.opcode() == READ) {
                assertEquals(f.slots.get(sqe.cid()).dataAddress, sqe.prp1(), "PRPs into the staging slot");
            }
            return List.of(sqe.cdw(2), sqe.cdw(3));
        }
    }

    @Test
    void withPassthroughAReadsSqeReachesTheBackendAsTheHostSentIt() {
        assertEquals(List.of(0x1111_2222, 0x3333_4444), backendCdw2And3(true, readWithEveryDword(READ)));
    }

    @Test
    void withoutPassthroughTheEngineRebuildsTheSqeFromItsOpcodeAndCommandDwords() {
        assertEquals(List.of(0, 0), backendCdw2And3(false, readWithEveryDword(READ)));
    }

    @Test
    void aFlushIsRebuiltEvenWithPassthroughWhichServesReadsAndWrites() {
        assertEquals(List.of(0, 0), backendCdw2And3(true, readWithEveryDword(SpecCapsules.FLUSH)));
    }
}
