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
    @Test
    void anInvalidLkeyCompletesWithLocProtErrAndFlushesWhatFollows() {
        try (Loopback lb = Loopback.listen(7475)) {
            DeviceContext ctx = lb.context();
            ProtectionDomain pd = lb.track(ctx.allocateProtectionDomain());
            CompletionQueue cq = lb.track(ctx.createCompletionQueue(16));
            MemoryRegion mr = lb.track(pd.registerMemory(lb.allocate(4096), Access.LOCAL_WRITE));
            ReceiveWorkRequests recvs = lb.track(new ReceiveWorkRequests(1, 1));
            SendWorkRequests sends = lb.track(new SendWorkRequests(2, 1));
            Loopback.Connection c = lb.connect(
                    id -> id.createQueuePair(pd, QpInitAttributes.reliableConnected(cq, cq)),
                    id -> {
                        var qp = id.createQueuePair(pd, QpInitAttributes.reliableConnected(cq, cq));
                        recvs.get(0).reset().wrId(900).addSge(mr, 0, 64);
                        qp.postReceive(recvs, 1);
                        return qp;
                    },
                    new byte[0], new byte[0]);

            sends.get(0).reset().wrId(0xBAD).opcode(WrOpcode.SEND).signaled(true).addSge(mr.address(), 64, mr.lkey() ^ 0x5a5a00);
            c.clientQp().postSend(sends, 1);

            try (WorkCompletions wcs = new WorkCompletions(4)) {
                int n = 0;
                long deadline = System.nanoTime() + Loopback.TIMEOUT.toNanos();
                while (n == 0 && System.nanoTime() < deadline) {
                    n = cq.poll(wcs, 1);
                }
                assertEquals(1, n, "the bad send should complete");
                assertEquals(0xBAD, wcs.wrId(0));
                assertEquals(WcStatus.IBV_WC_LOC_PROT_ERR, wcs.status(0), wcs.describe(0));
                WorkCompletionException e = assertThrows(WorkCompletionException.class, () -> wcs.requireSuccess(0));
                assertTrue(e.getMessage().startsWith("IBV_WC_LOC_PROT_ERR (4) for wr_id 0xbad on QP 0x"
                        + Integer.toHexString(c.clientQp().qpNumber())), e.getMessage());
            }
            assertEquals(QpState.ERR, c.clientQp().state(), "a completion error moves the QP to ERR");

            sends.get(1).reset().wrId(0xF1).opcode(WrOpcode.SEND).signaled(true).addSge(mr, 0, 64);
            c.clientQp().postSend(sends, 1, 1);
            Completion flushed = Completions.one(cq);
            assertEquals(0xF1, flushed.wrId());
            assertEquals(WcStatus.IBV_WC_WR_FLUSH_ERR, flushed.status(), flushed.description());
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
