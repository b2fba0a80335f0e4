package io.nvmfoffload.offload.emulated;

import io.nvmfoffload.verbs.WcStatus;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * QP_FATAL: an RDMA operation the engine made for an offloaded queue failed other than by a flush,
 * so the QP is in ERROR and the queue must go. Raised once per QP, never for one already draining,
 * and the command's slot comes back as on any other path.
 */
class QpFatalErrorsTest extends OneBackendEngineTest {
    /** A read run at the backend and answered: RDMA WRITE of its data and the SEND posted; its slot. */
    private int answeredRead(int cid) {
        assertTrue(f.offer(qp, read(cid, 1)));
        backend.takeAndComplete();
        f.flow.progress();
        return f.transfers.lastResponse().slot();
    }

    @Test
    void aFailedRdmaReadOfHostDataIsFatalToItsQp() {
        assertTrue(f.offer(qp, keyedWrite(1, 1)));
        f.flow.completion(HostTransfers.READ_WR, f.transfers.reads.getFirst(), WcStatus.IBV_WC_REM_ACCESS_ERR, "bad rkey");
        assertEquals(List.of(qp), f.events.fatal);
        assertTrue(f.allSlotsFree());
    }

    /** A read is answered, then the engine's {@code kind} of work for it fails with {@code status}: QP_FATAL. */
    private int failAnsweredRead(int kind, WcStatus status) {
        int slot = answeredRead(1);
        f.flow.completion(kind, slot, status, String.valueOf(status));
        assertEquals(List.of(qp), f.events.fatal);
        return slot;
    }

    @Test
    void aFailedRdmaWriteOfReadDataIsFatalAndTheFlushedSendBehindItEndsTheCommand() {
        int slot = failAnsweredRead(HostTransfers.WRITE_WR, WcStatus.IBV_WC_REM_ACCESS_ERR);
        f.flow.completion(HostTransfers.SEND_WR, slot, WcStatus.IBV_WC_WR_FLUSH_ERR, "flushed");
        assertEquals(1, f.events.fatal.size(), "the flush only follows from the error");
        assertTrue(f.allSlotsFree());
    }

    @Test
    void aFailedResponseSendIsFatal() {
        failAnsweredRead(HostTransfers.SEND_WR, WcStatus.IBV_WC_RETRY_EXC_ERR);
        assertTrue(f.allSlotsFree());
    }

    @Test
    void anErrorThisBindingDoesNotNameIsFatalToo() {
        failAnsweredRead(HostTransfers.SEND_WR, null);
    }

    @Test
    void flushedWorkIsNoNewsTheQpWasInErrorAlready() {
        assertTrue(f.offer(qp, keyedWrite(1, 1)));
        f.flow.completion(HostTransfers.READ_WR, f.transfers.reads.getFirst(), WcStatus.IBV_WC_WR_FLUSH_ERR, "flushed");
        int slot = answeredRead(2);
        f.flow.completion(HostTransfers.SEND_WR, slot, WcStatus.IBV_WC_WR_FLUSH_ERR, "flushed");
        assertTrue(f.events.fatal.isEmpty());
        assertTrue(f.allSlotsFree());
    }

    @Test
    void aPostTheQpRefusesIsFatal() {
        f.transfers.refuseNext = 1;
        assertTrue(f.offer(qp, keyedWrite(1, 1)));
        assertEquals(List.of(qp), f.events.fatal);
        assertTrue(f.allSlotsFree());
    }

    @Test
    void aQpIsReportedOnceHoweverManyOfItsOperationsFail() {
        int first = answeredRead(1);
        int second = answeredRead(2);
        f.flow.completion(HostTransfers.SEND_WR, first, WcStatus.IBV_WC_RETRY_EXC_ERR, "retry exceeded");
        f.flow.completion(HostTransfers.SEND_WR, second, WcStatus.IBV_WC_REM_OP_ERR, "remote operation error");
        assertEquals(List.of(qp), f.events.fatal);
        QpAttachment other = EngineFixture.queue(2, 32, 1);
        assertTrue(f.offer(other, keyedWrite(3, 1)));
        f.flow.completion(HostTransfers.READ_WR, f.transfers.reads.getLast(), WcStatus.IBV_WC_REM_ACCESS_ERR, "bad rkey");
        assertEquals(List.of(qp, other), f.events.fatal, "each QP once");
    }

    @Test
    void aQpBeingDrainedIsGoingAwayAlreadyAndRaisesNothing() {
        int slot = answeredRead(1);
        qp.draining = true;
        f.flow.completion(HostTransfers.SEND_WR, slot, WcStatus.IBV_WC_RETRY_EXC_ERR, "retry exceeded");
        assertTrue(f.events.fatal.isEmpty());
        assertEquals(List.of(qp), f.events.lastCqe);
    }
}
