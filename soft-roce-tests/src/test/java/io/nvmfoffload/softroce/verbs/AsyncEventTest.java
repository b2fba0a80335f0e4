package io.nvmfoffload.softroce.verbs;

import io.nvmfoffload.softroce.bed.InBed;
import io.nvmfoffload.verbs.Access;
import io.nvmfoffload.verbs.AsyncEvent;
import io.nvmfoffload.verbs.AsyncEventListener;
import io.nvmfoffload.verbs.AsyncEventType;
import io.nvmfoffload.verbs.CompletionQueue;
import io.nvmfoffload.verbs.DeviceContext;
import io.nvmfoffload.verbs.MemoryRegion;
import io.nvmfoffload.verbs.ProtectionDomain;
import io.nvmfoffload.verbs.QpInitAttributes;
import io.nvmfoffload.verbs.QpModification;
import io.nvmfoffload.verbs.QpState;
import io.nvmfoffload.verbs.SendWorkRequests;
import io.nvmfoffload.verbs.WrOpcode;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Async events reach listeners on the context's event thread, resolved to the Java object they
 * concern. rxe in Linux 6.1 raises no QP_FATAL, QP_ACCESS_ERR or QP_LAST_WQE_REACHED (checked: a
 * remote access error, and an SRQ-attached QP moved to ERR, raise nothing), so the QP error used
 * here is a QP whose completions overrun its CQ, which rxe reports as IBV_EVENT_CQ_ERR; the
 * QP-affiliated path is exercised with SQ_DRAINED.
 */
@InBed
class AsyncEventTest {
    private record Seen(AsyncEvent event, String thread) {}

    private static AsyncEventListener listenerFor(AsyncEventType type, CompletableFuture<Seen> seen) {
        return e -> {
            if (e.type() == type) {
                seen.complete(new Seen(e, Thread.currentThread().getName()));
            }
        };
    }

    @Test
    void aQpOverrunningItsCompletionQueueRaisesCqErrForThatCq() throws Exception {
        CompletableFuture<Seen> seen = new CompletableFuture<>();
        try (Loopback lb = Loopback.listen(7477)) {
            DeviceContext ctx = lb.context();
            ProtectionDomain pd = lb.track(ctx.allocateProtectionDomain());
            CompletionQueue tiny = lb.track(ctx.createCompletionQueue(2));
            CompletionQueue cq = lb.track(ctx.createCompletionQueue(64));
            MemoryRegion mr = lb.track(pd.registerMemory(lb.allocate(64 << 10), Access.LOCAL_WRITE, Access.REMOTE_WRITE));
            SendWorkRequests sends = lb.track(new SendWorkRequests(32, 1));
            Loopback.Connection c = lb.connect(
                    id -> id.createQueuePair(pd, QpInitAttributes.reliableConnected(tiny, cq).maxSendWr(32)),
                    id -> id.createQueuePair(pd, QpInitAttributes.reliableConnected(cq, cq)),
                    new byte[0], new byte[0]);
            AsyncEventListener listener = listenerFor(AsyncEventType.CQ_ERR, seen);
            ctx.addAsyncEventListener(listener);
            try {
                int writes = tiny.capacity() + 8;
                for (int i = 0; i < writes; i++) {
                    sends.get(i).reset().wrId(i).opcode(WrOpcode.RDMA_WRITE).signaled(true)
                            .remote(mr.address() + 32768, mr.rkey()).addSge(mr, 0, 1024);
                }
                c.clientQp().postSend(sends, writes);

                Seen s = seen.get(Loopback.TIMEOUT_MS, TimeUnit.MILLISECONDS);
                assertSame(tiny, s.event().completionQueue(), s.event().toString());
                assertTrue(s.thread().startsWith("nvmf-verbs-async-"), "delivered on " + s.thread());
                assertNotEquals(Thread.currentThread().getName(), s.thread());
            } finally {
                ctx.removeAsyncEventListener(listener);
            }
        }
    }

    @Test
    void drainingASendQueueRaisesSqDrainedForThatQp() throws Exception {
        CompletableFuture<Seen> seen = new CompletableFuture<>();
        try (Loopback lb = Loopback.listen(7478)) {
            DeviceContext ctx = lb.context();
            ProtectionDomain pd = lb.track(ctx.allocateProtectionDomain());
            CompletionQueue cq = lb.track(ctx.createCompletionQueue(128));
            MemoryRegion mr = lb.track(pd.registerMemory(lb.allocate(4 << 20), Access.LOCAL_WRITE, Access.REMOTE_WRITE));
            SendWorkRequests sends = lb.track(new SendWorkRequests(32, 1));
            Loopback.Connection c = lb.connect(
                    id -> id.createQueuePair(pd, QpInitAttributes.reliableConnected(cq, cq).maxSendWr(64)),
                    id -> id.createQueuePair(pd, QpInitAttributes.reliableConnected(cq, cq)),
                    new byte[0], new byte[0]);
            AsyncEventListener listener = listenerFor(AsyncEventType.SQ_DRAINED, seen);
            ctx.addAsyncEventListener(listener);
            try {
                // Enough in flight that the drain starts before the send queue is empty.
                for (int i = 0; i < 32; i++) {
                    sends.get(i).reset().wrId(i).opcode(WrOpcode.RDMA_WRITE).signaled(true)
                            .remote(mr.address() + (2 << 20), mr.rkey()).addSge(mr, 0, 64 << 10);
                }
                c.clientQp().postSend(sends, 32);
                c.clientQp().modify(QpModification.toState(QpState.SQD).notifySqDrained(true));

                Seen s = seen.get(Loopback.TIMEOUT_MS, TimeUnit.MILLISECONDS);
                assertSame(c.clientQp(), s.event().queuePair(), s.event().toString());
                assertEquals(QpState.SQD, c.clientQp().state());
                Completions.successful(Completions.take(cq, 32, Loopback.TIMEOUT));
            } finally {
                ctx.removeAsyncEventListener(listener);
            }
        }
    }
}
