package io.nvmfoffload.softroce.verbs;

import io.nvmfoffload.softroce.bed.InBed;
import io.nvmfoffload.softroce.verbs.Completions.Completion;
import io.nvmfoffload.verbs.Access;
import io.nvmfoffload.verbs.CompletionChannel;
import io.nvmfoffload.verbs.CompletionQueue;
import io.nvmfoffload.verbs.DeviceContext;
import io.nvmfoffload.verbs.MemoryRegion;
import io.nvmfoffload.verbs.ProtectionDomain;
import io.nvmfoffload.verbs.QpInfo;
import io.nvmfoffload.verbs.QpInitAttributes;
import io.nvmfoffload.verbs.QpState;
import io.nvmfoffload.verbs.ReceiveWorkRequests;
import io.nvmfoffload.verbs.SendWorkRequests;
import io.nvmfoffload.verbs.WcOpcode;
import io.nvmfoffload.verbs.WorkCompletions;
import io.nvmfoffload.verbs.WrOpcode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SEND, SEND_WITH_IMM, RDMA_WRITE (with and without immediate), RDMA_READ, chains, SGE lists,
 * unsignaled and inline requests between two rdma_cm endpoints on rxe0 in one JVM.
 */
@InBed
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RcDataPathTest {
    private static final int REGION = 64 << 10;

    private Loopback lb;
    private Side client;
    private Side server;
    private Loopback.Connection connection;
    private Buffers.Remote serverMemory;
    private Buffers.Remote clientMemory;

    /** One end: PD, CQs (the receive CQ with a completion channel), a registered buffer, WR arrays. */
    private static final class Side {
        final ProtectionDomain pd;
        final CompletionChannel channel;
        final CompletionQueue sendCq;
        final CompletionQueue recvCq;
        final MemoryRegion mr;
        final SendWorkRequests sends;
        final ReceiveWorkRequests recvs;

        Side(Loopback lb, DeviceContext ctx) {
            pd = lb.track(ctx.allocateProtectionDomain());
            channel = lb.track(ctx.createCompletionChannel());
            sendCq = lb.track(ctx.createCompletionQueue(64));
            recvCq = lb.track(ctx.createCompletionQueue(64, channel, 0));
            mr = lb.track(pd.registerMemory(lb.allocate(REGION), Access.LOCAL_WRITE, Access.REMOTE_WRITE, Access.REMOTE_READ));
            sends = lb.track(new SendWorkRequests(8, 4));
            recvs = lb.track(new ReceiveWorkRequests(8, 4));
        }

        QpInitAttributes qpAttributes() {
            return QpInitAttributes.reliableConnected(sendCq, recvCq).maxSendWr(32).maxRecvWr(32)
                    .maxSendSge(4).maxRecvSge(4).maxInlineData(64);
        }

        MemorySegment memory() {
            return mr.segment();
        }
    }

    @BeforeAll
    void connect() {
        lb = Loopback.listen(7471);
        DeviceContext ctx = lb.context();
        client = new Side(lb, ctx);
        server = new Side(lb, ctx);
        connection = lb.connect(id -> id.createQueuePair(client.pd, client.qpAttributes()),
                id -> id.createQueuePair(server.pd, server.qpAttributes()),
                Buffers.remoteKey(client.mr), Buffers.remoteKey(server.mr));
        serverMemory = Buffers.remote(connection.clientEstablished().privateData());
        clientMemory = Buffers.remote(connection.connectRequest().privateData());
    }

    @AfterAll
    void disconnect() {
        if (lb != null) {
            lb.close();
        }
    }

    private void serverReceives(long wrId, long offset, int length) {
        server.recvs.get(0).reset().wrId(wrId).addSge(server.mr, offset, length);
        connection.serverQp().postReceive(server.recvs, 1);
    }

    @Test
    void privateDataOfConnectAndAcceptReachesThePeer() {
        assertEquals(server.mr.address(), serverMemory.address());
        assertEquals(server.mr.rkey(), serverMemory.rkey());
        assertEquals(client.mr.address(), clientMemory.address());
    }

    @Test
    void aSendLandsInThePostedReceiveBuffer() {
        Buffers.fill(client.memory().asSlice(0, 256), 1);
        serverReceives(100, 0, 256);

        client.sends.get(0).reset().wrId(1).opcode(WrOpcode.SEND).signaled(true).addSge(client.mr, 0, 256);
        connection.clientQp().postSend(client.sends, 1);

        Completion sent = Completions.one(client.sendCq);
        Completion received = Completions.one(server.recvCq);
        assertEquals(WcOpcode.SEND, sent.opcode(), sent.description());
        assertEquals(1, sent.wrId());
        assertEquals(WcOpcode.RECV, received.opcode(), received.description());
        assertEquals(100, received.wrId());
        assertEquals(256, received.byteLength());
        assertEquals(connection.serverQp().qpNumber(), received.qpNumber());
        assertEquals(-1, client.memory().asSlice(0, 256).mismatch(server.memory().asSlice(0, 256)));
    }

    @Test
    void sendWithImmediateDeliversTheImmediateInHostOrder() {
        serverReceives(101, 0, 64);

        client.sends.get(0).reset().wrId(2).opcode(WrOpcode.SEND_WITH_IMM).signaled(true).immediateData(0xC0FFEE01)
                .addSge(client.mr, 0, 16);
        connection.clientQp().postSend(client.sends, 1);

        Completions.successful(List.of(Completions.one(client.sendCq)));
        Completion received = Completions.one(server.recvCq);
        assertTrue(received.hasImmediate(), received.description());
        assertEquals(0xC0FFEE01, received.immediate());
        assertEquals(16, received.byteLength());
    }

    @Test
    void rdmaWriteLandsInPeerMemoryWithoutConsumingAReceive() {
        Buffers.fill(client.memory().asSlice(4096, 4096), 3);

        client.sends.get(0).reset().wrId(3).opcode(WrOpcode.RDMA_WRITE).signaled(true)
                .remote(serverMemory.address() + 8192, serverMemory.rkey()).addSge(client.mr, 4096, 4096);
        connection.clientQp().postSend(client.sends, 1);

        Completion written = Completions.one(client.sendCq);
        assertEquals(WcOpcode.RDMA_WRITE, written.opcode(), written.description());
        assertEquals(-1, client.memory().asSlice(4096, 4096).mismatch(server.memory().asSlice(8192, 4096)));
        try (WorkCompletions wcs = new WorkCompletions(4)) {
            assertEquals(0, server.recvCq.poll(wcs), "an RDMA WRITE must not complete a receive");
        }
    }

    @Test
    void rdmaWriteWithImmediateConsumesAReceiveAndCarriesTheImmediate() {
        Buffers.fill(client.memory().asSlice(0, 512), 4);
        server.recvs.get(0).reset().wrId(104);
        connection.serverQp().postReceive(server.recvs, 1);

        client.sends.get(0).reset().wrId(4).opcode(WrOpcode.RDMA_WRITE_WITH_IMM).signaled(true).immediateData(77)
                .remote(serverMemory.address() + 16384, serverMemory.rkey()).addSge(client.mr, 0, 512);
        connection.clientQp().postSend(client.sends, 1);

        assertEquals(WcOpcode.RDMA_WRITE, Completions.one(client.sendCq).opcode());
        Completion received = Completions.one(server.recvCq);
        assertEquals(WcOpcode.RECV_RDMA_WITH_IMM, received.opcode(), received.description());
        assertEquals(104, received.wrId());
        assertEquals(77, received.immediate());
        assertEquals(512, received.byteLength());
        assertEquals(-1, client.memory().asSlice(0, 512).mismatch(server.memory().asSlice(16384, 512)));
    }

    @Test
    void rdmaReadFetchesPeerMemory() {
        Buffers.fill(server.memory().asSlice(32768, 8192), 5);

        client.sends.get(0).reset().wrId(5).opcode(WrOpcode.RDMA_READ).signaled(true)
                .remote(serverMemory.address() + 32768, serverMemory.rkey()).addSge(client.mr, 32768, 8192);
        connection.clientQp().postSend(client.sends, 1);

        Completion read = Completions.one(client.sendCq);
        assertEquals(WcOpcode.RDMA_READ, read.opcode(), read.description());
        assertEquals(8192, read.byteLength());
        assertEquals(-1, server.memory().asSlice(32768, 8192).mismatch(client.memory().asSlice(32768, 8192)));
    }

    @Test
    void aChainOfSendsGatheringSeveralSgesScattersIntoSeveralSgesWithOnlyTheLastSignaled() {
        Buffers.fill(client.memory().asSlice(0, 3 * 300), 6);
        for (int r = 0; r < 3; r++) {
            // Each receive scatters into two pieces far apart: 200 bytes, then the rest.
            server.recvs.get(r).reset().wrId(200 + r)
                    .addSge(server.mr, 40960 + r * 200, 200).addSge(server.mr, 50000 + r * 200, 200);
        }
        connection.serverQp().postReceive(server.recvs, 0, 3);
        for (int s = 0; s < 3; s++) {
            // Each send gathers three 100-byte pieces.
            client.sends.get(s).reset().wrId(10 + s).opcode(WrOpcode.SEND).signaled(s == 2)
                    .addSge(client.mr, s * 300, 100).addSge(client.mr, s * 300 + 100, 100).addSge(client.mr, s * 300 + 200, 100);
        }
        connection.clientQp().postSend(client.sends, 0, 3);

        List<Completion> received = Completions.successful(Completions.take(server.recvCq, 3, Loopback.TIMEOUT));
        List<Completion> sent = Completions.take(client.sendCq, 1, Loopback.TIMEOUT);
        assertEquals(12, sent.getFirst().wrId(), "only the last, signaled send completes");
        try (WorkCompletions wcs = new WorkCompletions(4)) {
            assertEquals(0, client.sendCq.poll(wcs), "unsignaled sends must not complete");
        }
        for (int r = 0; r < 3; r++) {
            assertEquals(200 + r, received.get(r).wrId(), "receives complete in order");
            assertEquals(300, received.get(r).byteLength());
            MemorySegment sentBytes = client.memory().asSlice(r * 300, 300);
            assertEquals(-1, sentBytes.asSlice(0, 200).mismatch(server.memory().asSlice(40960 + r * 200, 200)));
            assertEquals(-1, sentBytes.asSlice(200, 100).mismatch(server.memory().asSlice(50000 + r * 200, 100)));
        }
    }

    @Test
    void anInlineSendCopiesUnregisteredMemoryAtPostTime() {
        serverReceives(105, 0, 64);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment unregistered = arena.allocate(48);
            Buffers.fill(unregistered, 9);
            byte[] expected = unregistered.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);

            client.sends.get(0).reset().wrId(6).opcode(WrOpcode.SEND).signaled(true).inline(true)
                    .addSge(unregistered.address(), 48, 0);
            connection.clientQp().postSend(client.sends, 1);
            unregistered.fill((byte) 0);

            Completions.successful(List.of(Completions.one(client.sendCq)));
            assertEquals(48, Completions.one(server.recvCq).byteLength());
            assertArrayEquals(expected, server.memory().asSlice(0, 48).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        }
    }

    @Test
    void aRequestedNotificationArrivesOnTheCompletionChannel() {
        server.recvCq.requestNotification(false);
        serverReceives(106, 0, 64);

        client.sends.get(0).reset().wrId(7).opcode(WrOpcode.SEND).signaled(true).addSge(client.mr, 0, 8);
        connection.clientQp().postSend(client.sends, 1);

        CompletionQueue notified = server.channel.awaitEvent(Loopback.TIMEOUT_MS);
        assertSame(server.recvCq, notified);
        assertEquals(1, notified.unacknowledgedEvents());
        notified.acknowledgeEvents(1);
        assertEquals(106, Completions.one(server.recvCq).wrId());
        Completions.one(client.sendCq);
        assertEquals(null, server.channel.awaitEvent(200), "no event without a new request for notification");
    }

    @Test
    void theConnectedQpIsInRtsWithAtLeastTheRequestedCapabilities() {
        QpInfo info = connection.clientQp().query();

        assertEquals(QpState.RTS, info.state());
        assertTrue(info.capabilities().maxInlineData() >= 64, info.toString());
        assertTrue(info.capabilities().maxSendWr() >= 32, info.toString());
        assertEquals(connection.serverQp().qpNumber(), info.destQpNumber());
        assertTrue(info.access().contains(Access.REMOTE_READ) || info.access().contains(Access.REMOTE_WRITE), info.toString());
        assertFalse(info.sqDraining());
    }
}
