package io.nvmfoffload.softroce.verbs;

import io.nvmfoffload.softroce.bed.InBed;
import io.nvmfoffload.softroce.verbs.Completions.Completion;
import io.nvmfoffload.verbs.Access;
import io.nvmfoffload.verbs.CompletionQueue;
import io.nvmfoffload.verbs.DeviceContext;
import io.nvmfoffload.verbs.MemoryRegion;
import io.nvmfoffload.verbs.ProtectionDomain;
import io.nvmfoffload.verbs.QpInitAttributes;
import io.nvmfoffload.verbs.QpState;
import io.nvmfoffload.verbs.ReceiveWorkRequests;
import io.nvmfoffload.verbs.SendWorkRequests;
import io.nvmfoffload.verbs.VerbsException;
import io.nvmfoffload.verbs.WcStatus;
import io.nvmfoffload.verbs.WorkCompletionException;
import io.nvmfoffload.verbs.WorkCompletions;
import io.nvmfoffload.verbs.WrOpcode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Failures are reported with names: a bad lkey as a named completion status, a bad post as a named errno. */
@InBed
class ErrorCompletionTest {
    /** One connection whose server side has a receive posted; both ends share a PD and a CQ. */
    private static Loopback.Connection connect(Loopback lb, ProtectionDomain pd, CompletionQueue cq, MemoryRegion mr,
                                               ReceiveWorkRequests recvs) {
        return lb.connect(
                id -> id.createQueuePair(pd, QpInitAttributes.reliableConnected(cq, cq)),
                id -> {
                    var qp = id.createQueuePair(pd, QpInitAttributes.reliableConnected(cq, cq));
                    recvs.get(0).reset().wrId(900).addSge(mr, 0, 64);
                    qp.postReceive(recvs, 1);
                    return qp;
                },
                new byte[0], new byte[0]);
    }

    /** The first completion of {@code cq}, read through the binding's own accessors. */
    private static void assertFirstCompletionFails(CompletionQueue cq, long wrId, WcStatus status, int qpNumber) {
        try (WorkCompletions wcs = new WorkCompletions(4)) {
            int n = 0;
            long deadline = System.nanoTime() + Loopback.TIMEOUT.toNanos();
            while (n == 0 && System.nanoTime() < deadline) {
                n = cq.poll(wcs, 1);
            }
            assertEquals(1, n, "the bad request should complete");
            assertEquals(wrId, wcs.wrId(0));
            assertEquals(status, wcs.status(0), wcs.describe(0));
            WorkCompletionException e = assertThrows(WorkCompletionException.class, () -> wcs.requireSuccess(0));
            String expected = status.name() + " (" + status.value() + ") for wr_id 0x" + Long.toHexString(wrId)
                    + " on QP 0x" + Integer.toHexString(qpNumber);
            assertTrue(e.getMessage().startsWith(expected), e.getMessage());
            assertEquals(status, e.status());
        }
    }

    @Test
    void anRdmaReadIntoAnInvalidLkeyCompletesWithLocProtErrAndFlushesWhatFollows() {
        try (Loopback lb = Loopback.listen(7475)) {
            DeviceContext ctx = lb.context();
            ProtectionDomain pd = lb.track(ctx.allocateProtectionDomain());
            CompletionQueue cq = lb.track(ctx.createCompletionQueue(16));
            MemoryRegion mr = lb.track(pd.registerMemory(lb.allocate(4096), Access.LOCAL_WRITE, Access.REMOTE_READ));
            ReceiveWorkRequests recvs = lb.track(new ReceiveWorkRequests(1, 1));
            SendWorkRequests sends = lb.track(new SendWorkRequests(2, 1));
            Loopback.Connection c = connect(lb, pd, cq, mr, recvs);

            sends.get(0).reset().wrId(0xBAD).opcode(WrOpcode.RDMA_READ).signaled(true).remote(mr.address() + 2048, mr.rkey())
                    .addSge(mr.address(), 64, mr.lkey() ^ 0x5a5a00);
            c.clientQp().postSend(sends, 1);

            assertFirstCompletionFails(cq, 0xBAD, WcStatus.IBV_WC_LOC_PROT_ERR, c.clientQp().qpNumber());
            assertEquals(QpState.ERR, c.clientQp().state(), "a completion error moves the QP to ERR");
            sends.get(1).reset().wrId(0xF1).opcode(WrOpcode.SEND).signaled(true).addSge(mr, 0, 64);
            c.clientQp().postSend(sends, 1, 1);
            Completion flushed = Completions.one(cq);
            assertEquals(0xF1, flushed.wrId());
            assertEquals(WcStatus.IBV_WC_WR_FLUSH_ERR, flushed.status(), flushed.description());
        }
    }

    /** rxe reports a bad gather lkey as LOC_QP_OP_ERR (its packet builder fails with EINVAL), not LOC_PROT_ERR. */
    @Test
    void aSendGatheringFromAnInvalidLkeyCompletesWithANamedError() {
        try (Loopback lb = Loopback.listen(7480)) {
            DeviceContext ctx = lb.context();
            ProtectionDomain pd = lb.track(ctx.allocateProtectionDomain());
            CompletionQueue cq = lb.track(ctx.createCompletionQueue(16));
            MemoryRegion mr = lb.track(pd.registerMemory(lb.allocate(4096), Access.LOCAL_WRITE));
            ReceiveWorkRequests recvs = lb.track(new ReceiveWorkRequests(1, 1));
            SendWorkRequests sends = lb.track(new SendWorkRequests(1, 1));
            Loopback.Connection c = connect(lb, pd, cq, mr, recvs);

            sends.get(0).reset().wrId(0xBAD).opcode(WrOpcode.SEND).signaled(true).addSge(mr.address(), 64, mr.lkey() ^ 0x5a5a00);
            c.clientQp().postSend(sends, 1);

            assertFirstCompletionFails(cq, 0xBAD, WcStatus.IBV_WC_LOC_QP_OP_ERR, c.clientQp().qpNumber());
        }
    }

    @Test
    void aPostTheProviderRefusesNamesTheVerbTheErrnoAndTheRequest() {
        try (Loopback lb = Loopback.listen(7476)) {
            DeviceContext ctx = lb.context();
            ProtectionDomain pd = lb.track(ctx.allocateProtectionDomain());
            CompletionQueue cq = lb.track(ctx.createCompletionQueue(16));
            MemoryRegion mr = lb.track(pd.registerMemory(lb.allocate(4096), Access.LOCAL_WRITE, Access.REMOTE_WRITE));
            Loopback.Connection c = lb.connect(
                    id -> id.createQueuePair(pd, QpInitAttributes.reliableConnected(cq, cq).maxSendSge(1)),
                    id -> id.createQueuePair(pd, QpInitAttributes.reliableConnected(cq, cq)),
                    new byte[0], new byte[0]);
            int allowed = c.clientQp().capabilities().maxSendSge();
            SendWorkRequests sends = lb.track(new SendWorkRequests(2, allowed + 1));
            // A valid first request, so that the failure is reported for the second one.
            sends.get(0).reset().wrId(1).opcode(WrOpcode.RDMA_WRITE).remote(mr.address() + 2048, mr.rkey()).addSge(mr, 0, 8);
            sends.get(1).reset().wrId(2).opcode(WrOpcode.SEND);
            for (int i = 0; i <= allowed; i++) {
                sends.get(1).addSge(mr, i * 8L, 8);
            }

            VerbsException e = assertThrows(VerbsException.class, () -> c.clientQp().postSend(sends, 0, 2));

            assertEquals("ibv_post_send", e.verb());
            assertEquals("EINVAL", e.errnoName());
            assertTrue(e.getMessage().startsWith("ibv_post_send failed: EINVAL (22): work request 1 (2 of 2 posted) on QP 0x"),
                    e.getMessage());
        }
    }
}
