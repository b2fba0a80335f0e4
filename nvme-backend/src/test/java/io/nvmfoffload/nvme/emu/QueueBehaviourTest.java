package io.nvmfoffload.nvme.emu;

import io.nvmfoffload.nvme.driver.HostQueuePair;
import io.nvmfoffload.nvme.spec.CompletionQueueEntry;
import io.nvmfoffload.nvme.spec.NvmOpcode;
import io.nvmfoffload.nvme.spec.SubmissionQueueEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ring mechanics as seen from the host: wrap-around, phase tags, SQ head reporting, back-pressure. */
class QueueBehaviourTest {
    private final EmuFixture f = new EmuFixture();
    private MemorySegment cqRing;

    @AfterEach
    void close() {
        f.close();
    }

    private void submitWrite(HostQueuePair qp, int cid, boolean ring) {
        SubmissionQueueEntry s = qp.nextSubmission();
        assertNotNull(s, "SQ unexpectedly full at CID " + cid);
        f.readWrite(s, NvmOpcode.WRITE, cid % 64, 1, 0);
        s.cid(cid);
        if (ring) {
            qp.submit();
        } else {
            qp.advance();
        }
    }

    @Test
    void queuesWrapAroundAndThePhaseTagFlipsEachPass() {
        HostQueuePair qp = f.host.createIoQueuePair(1, 4);
        List<Boolean> phases = new ArrayList<>();
        for (int cid = 0; cid < 13; cid++) {
            submitWrite(qp, cid, true);
            assertEquals(1, f.ctrl.poll());
            CompletionQueueEntry cqe = qp.peekCompletion();
            assertNotNull(cqe, "no completion for CID " + cid);
            assertEquals(cid, cqe.cid());
            assertEquals((cid + 1) % 4, cqe.sqHead(), "SQ head after CID " + cid);
            assertEquals(1, cqe.sqId());
            assertTrue(cqe.isSuccess());
            phases.add(cqe.phase());
            qp.release();
        }
        // Pass 1 posts phase 1 in slots 0-3, pass 2 phase 0, pass 3 phase 1, pass 4 starts at 0 again.
        assertEquals(List.of(true, true, true, true, false, false, false, false, true, true, true, true, false), phases);
    }

    @Test
    void staleEntriesOfThePreviousPassAreNotMistakenForNewOnes() {
        HostQueuePair qp = f.host.createIoQueuePair(1, 2);
        for (int cid = 0; cid < 5; cid++) {
            assertNull(qp.peekCompletion(), "nothing is pending before CID " + cid);
            submitWrite(qp, cid, true);
            f.ctrl.poll();
            assertEquals(cid, qp.peekCompletion().cid());
            qp.release();
        }
    }

    @Test
    void aFullCompletionQueueHoldsBackCommandsInsteadOfOverwriting() {
        // SQ of 8 entries on a CQ of 4: the CQ can hold 3 unconsumed completions.
        var cq = f.host.createCompletionQueue(1, 4, ringAddress(4 * 16));
        assertTrue(cq.isSuccess());
        // Only the SQ ring of this pair is used; the CQ is the hand-made one above.
        HostQueuePair sqSide = new HostQueuePair(1, 8, f.ctrl.registers(), 0, f.dma, 4096);
        assertTrue(f.host.createSubmissionQueue(1, 8, sqSide.sqAddress(), 1).isSuccess());
        for (int cid = 0; cid < 7; cid++) {
            SubmissionQueueEntry s = sqSide.nextSubmission();
            f.readWrite(s, NvmOpcode.WRITE, cid, 1, 0);
            s.cid(cid);
            sqSide.advance();
        }
        sqSide.ringSubmissionDoorbell();
        assertEquals(3, f.ctrl.poll());
        assertEquals(0, f.ctrl.poll(), "no room: the controller waits");
        // The host consumes two entries and says so through the CQ head doorbell.
        CqReader reader = new CqReader(cqRing, 4);
        assertEquals(List.of(0, 1, 2), reader.drain());
        f.ctrl.registers().ringCqHead(1, 0, 2);
        assertEquals(2, f.ctrl.poll());
        f.ctrl.registers().ringCqHead(1, 0, 3);
        assertEquals(1, f.ctrl.poll());
        assertEquals(List.of(3, 4, 5), reader.drain());
        f.ctrl.registers().ringCqHead(1, 0, reader.head);
        assertEquals(1, f.ctrl.poll());
        assertEquals(List.of(6), reader.drain());
        sqSide.close();
    }

    private long ringAddress(int bytes) {
        cqRing = f.arena.allocate(4096, 4096).asSlice(0, bytes);
        f.dma.register(cqRing);
        return cqRing.address();
    }

    /** Reads a CQ ring by phase tag, as a host does, without ringing doorbells. */
    private static final class CqReader {
        final MemorySegment ring;
        final int entries;
        int head;
        boolean phase = true;
        final CompletionQueueEntry view = new CompletionQueueEntry();

        CqReader(MemorySegment ring, int entries) {
            this.ring = ring;
            this.entries = entries;
        }

        List<Integer> drain() {
            List<Integer> cids = new ArrayList<>();
            while (view.wrap(ring, head * 16L).phaseAcquire() == phase) {
                cids.add(view.cid());
                head = (head + 1) % entries;
                if (head == 0) {
                    phase = !phase;
                }
            }
            return cids;
        }
    }

    @Test
    void batchedSubmissionsBehindOneDoorbellAllComplete() {
        HostQueuePair qp = f.host.createIoQueuePair(1, 16);
        for (int cid = 0; cid < 10; cid++) {
            submitWrite(qp, cid, false);
        }
        assertEquals(0, f.ctrl.poll(), "nothing happens before the doorbell");
        qp.ringSubmissionDoorbell();
        assertEquals(10, f.ctrl.poll());
        for (int cid = 0; cid < 10; cid++) {
            assertEquals(cid, qp.peekCompletion().cid());
            qp.consume();
        }
        qp.ringCompletionDoorbell();
        assertEquals(0, qp.outstanding());
    }

    @Test
    void twoSubmissionQueuesCanShareOneCompletionQueue() {
        HostQueuePair qp = f.host.createIoQueuePair(1, 8);
        HostQueuePair second = new HostQueuePair(2, 8, f.ctrl.registers(), 0, f.dma, 4096);
        assertTrue(f.host.createSubmissionQueue(2, 8, second.sqAddress(), 1).isSuccess());
        SubmissionQueueEntry s = second.nextSubmission();
        f.readWrite(s, NvmOpcode.READ, 0, 1, 0);
        s.cid(77);
        second.submit();
        f.ctrl.poll();
        CompletionQueueEntry cqe = qp.peekCompletion();
        assertEquals(77, cqe.cid());
        assertEquals(2, cqe.sqId());
        qp.release();
        second.close();
    }

    @Test
    void aDoorbellValueBeyondTheQueueIsIgnored() {
        HostQueuePair qp = f.host.createIoQueuePair(1, 4);
        f.ctrl.registers().ringSqTail(1, 0, 9);
        assertEquals(0, f.ctrl.poll());
        assertFalse(f.ctrl.fatalReason() != null);
        submitWrite(qp, 1, true);
        assertEquals(1, f.ctrl.poll());
    }
}
