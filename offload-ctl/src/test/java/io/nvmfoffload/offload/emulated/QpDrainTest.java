package io.nvmfoffload.offload.emulated;

import io.nvmfoffload.verbs.WcStatus;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An offloaded queue going away. A device with QP_LAST_NVME_CQE_REACHED keeps answering what it
 * had (on a QP in ERROR, flushed) and raises the event after its last answer; one without lets go
 * of the QP at the drain: nothing more is posted on it and no event comes.
 */
class QpDrainTest extends OneBackendEngineTest {
    @Test
    void aDrainingQpReportsItsLastCqeOnceItsLastAnswerIsOver() {
        assertTrue(f.offer(qp, read(1, 1)));
        assertTrue(f.offer(qp, read(2, 1)));
        qp.draining = true;  // the engine's detach at the drain
        backend.takeAndComplete();
        backend.takeAndComplete();
        f.flow.progress();
        assertEquals(2, f.transfers.responses.size(), "the answers go out, flushed by the QP in ERROR");
        f.flow.completion(HostTransfers.SEND_WR, f.transfers.responses.getFirst().slot(), WcStatus.IBV_WC_WR_FLUSH_ERR, "flushed");
        assertTrue(f.events.lastCqe.isEmpty(), "one answer is still in the send queue");
        f.flow.completion(HostTransfers.SEND_WR, f.transfers.lastResponse().slot(), WcStatus.IBV_WC_WR_FLUSH_ERR, "flushed");
        assertEquals(List.of(qp), f.events.lastCqe);
        assertTrue(f.allSlotsFree());
    }

    @Test
    void aReleasedQpGetsNothingMorePostedAndRaisesNoEventWhileItsCommandsRunToTheirEnd() {
        assertTrue(f.offer(qp, read(1, 1)));
        assertTrue(f.offer(qp, read(2, 1)));
        assertTrue(f.offer(qp, keyedWrite(3, 1)));
        int writeSlot = f.transfers.reads.getFirst();
        f.flow.release(qp);
        assertTrue(qp.released);
        backend.takeAndComplete();
        backend.takeAndComplete();
        f.flow.progress();
        assertTrue(f.transfers.responses.isEmpty(), "the answers of a released QP go nowhere");
        // the RDMA READ posted before the release flushes ahead of the transport's drain marker
        f.flow.completion(HostTransfers.READ_WR, writeSlot, WcStatus.IBV_WC_WR_FLUSH_ERR, "flushed");
        assertTrue(f.transfers.responses.isEmpty());
        assertEquals(0, backend.submitted());
        assertTrue(f.events.lastCqe.isEmpty(), "a device without the event never raises it");
        assertTrue(f.events.fatal.isEmpty());
        assertEquals(0, qp.outstanding);
        assertTrue(f.allSlotsFree());
    }

    @Test
    void aReleasedQpsCapsulesHeldBackForASlotAreDropped() {
        for (int cid = 1; cid <= 5; cid++) {
            assertTrue(f.offer(qp, read(cid, 1)));
        }
        f.flow.release(qp);
        for (int i = 0; i < 4; i++) {
            backend.takeAndComplete();
        }
        f.flow.progress();
        f.flow.progress();
        assertEquals(0, f.pending.count());
        assertEquals(0, backend.submitted(), "the held-back read never reaches the backend");
        assertTrue(f.transfers.responses.isEmpty());
        assertTrue(f.allSlotsFree());
    }
}
