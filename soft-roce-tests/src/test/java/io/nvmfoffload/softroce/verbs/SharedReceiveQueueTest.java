package io.nvmfoffload.softroce.verbs;

import io.nvmfoffload.softroce.bed.InBed;
import io.nvmfoffload.softroce.verbs.Completions.Completion;
import io.nvmfoffload.verbs.Access;
import io.nvmfoffload.verbs.AsyncEvent;
import io.nvmfoffload.verbs.AsyncEventListener;
import io.nvmfoffload.verbs.AsyncEventType;
import io.nvmfoffload.verbs.CompletionQueue;
import io.nvmfoffload.verbs.DeviceContext;
import io.nvmfoffload.verbs.MemoryRegion;
import io.nvmfoffload.verbs.ProtectionDomain;
import io.nvmfoffload.verbs.QpInitAttributes;
import io.nvmfoffload.verbs.ReceiveWorkRequests;
import io.nvmfoffload.verbs.SendWorkRequests;
import io.nvmfoffload.verbs.SharedReceiveQueue;
import io.nvmfoffload.verbs.WrOpcode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** One SRQ feeding the QPs of three connections, and its limit event. */
@InBed
class SharedReceiveQueueTest {
    private static final int CLIENTS = 3;
    private static final int MESSAGES = 4;
    private static final int SLOT = 64;

    @Test
    void threeConnectionsShareOneSrqAndTheLimitEventFiresWhenItRunsLow() throws Exception {
        try (Loopback lb = Loopback.listen(7473)) {
            DeviceContext ctx = lb.context();
            ProtectionDomain pd = lb.track(ctx.allocateProtectionDomain());
            CompletionQueue serverCq = lb.track(ctx.createCompletionQueue(128));
            CompletionQueue clientCq = lb.track(ctx.createCompletionQueue(128));
            SharedReceiveQueue srq = lb.track(pd.createSharedReceiveQueue(64, 1, 0));
            MemoryRegion serverMr = lb.track(pd.registerMemory(lb.allocate(64 * SLOT), Access.LOCAL_WRITE));
            MemoryRegion clientMr = lb.track(pd.registerMemory(lb.allocate(CLIENTS * SLOT), Access.LOCAL_WRITE));
            ReceiveWorkRequests recvs = lb.track(new ReceiveWorkRequests(32, 1));
            SendWorkRequests sends = lb.track(new SendWorkRequests(MESSAGES, 1));

            int posted = CLIENTS * MESSAGES;
            for (int i = 0; i < posted; i++) {
                recvs.get(i).reset().wrId(i).addSge(serverMr, (long) i * SLOT, SLOT);
            }
            srq.postReceive(recvs, posted);

            List<Loopback.Connection> connections = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                connections.add(lb.connect(
                        id -> id.createQueuePair(pd, QpInitAttributes.reliableConnected(clientCq, clientCq)),
                        id -> id.createQueuePair(pd, QpInitAttributes.reliableConnected(serverCq, serverCq).sharedReceiveQueue(srq)),
                        new byte[0], new byte[0]));
            }
            for (int c = 0; c < CLIENTS; c++) {
                clientMr.segment().set(JAVA_INT, (long) c * SLOT, 1000 + c);
                for (int m = 0; m < MESSAGES; m++) {
                    sends.get(m).reset().wrId(c * 10L + m).opcode(WrOpcode.SEND).signaled(true).addSge(clientMr, (long) c * SLOT, SLOT);
                }
                connections.get(c).clientQp().postSend(sends, MESSAGES);
                Completions.successful(Completions.take(clientCq, MESSAGES, Loopback.TIMEOUT));
            }

            List<Completion> received = Completions.successful(Completions.take(serverCq, posted, Loopback.TIMEOUT));
            Map<Integer, List<Completion>> byQp = received.stream().collect(Collectors.groupingBy(Completion::qpNumber));
            assertEquals(CLIENTS, byQp.size(), "every server QP should have taken receives from the SRQ: " + received);
            for (int c = 0; c < CLIENTS; c++) {
                Loopback.Connection conn = connections.get(c);
                List<Completion> mine = byQp.get(conn.serverQp().qpNumber());
                assertEquals(MESSAGES, mine.size(), "server QP of client " + c);
                for (Completion done : mine) {
                    int marker = serverMr.segment().get(JAVA_INT, done.wrId() * SLOT);
                    assertEquals(1000 + c, marker, "receive " + done.wrId() + " holds the message of the client that sent it");
                }
            }
            assertEquals(Set.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L),
                    received.stream().map(Completion::wrId).collect(Collectors.toSet()));

            CompletableFuture<AsyncEvent> limit = new CompletableFuture<>();
            AsyncEventListener listener = e -> {
                if (e.type() == AsyncEventType.SRQ_LIMIT_REACHED) {
                    limit.complete(e);
                }
            };
            ctx.addAsyncEventListener(listener);
            for (int i = 0; i < 8; i++) {
                recvs.get(i).reset().wrId(100 + i).addSge(serverMr, (long) i * SLOT, SLOT);
            }
            srq.postReceive(recvs, 8);
            srq.armLimit(6);
            assertEquals(6, srq.query().limit());
            for (int m = 0; m < 3; m++) {
                sends.get(m).reset().wrId(50 + m).opcode(WrOpcode.SEND).signaled(true).addSge(clientMr, 0, SLOT);
            }
            connections.getFirst().clientQp().postSend(sends, 3);
            Completions.successful(Completions.take(clientCq, 3, Loopback.TIMEOUT));
            Completions.successful(Completions.take(serverCq, 3, Loopback.TIMEOUT));

            AsyncEvent event = limit.get(Loopback.TIMEOUT_MS, TimeUnit.MILLISECONDS);
            ctx.removeAsyncEventListener(listener);
            assertSame(srq, event.sharedReceiveQueue(), event.toString());
            assertEquals(0, srq.query().limit(), "the limit disarms itself once it fires");
        }
    }
}
