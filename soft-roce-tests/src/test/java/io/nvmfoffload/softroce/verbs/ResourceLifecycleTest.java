package io.nvmfoffload.softroce.verbs;

import io.nvmfoffload.softroce.bed.InBed;
import io.nvmfoffload.softroce.bed.Rxe;
import io.nvmfoffload.softroce.verbs.Completions.Completion;
import io.nvmfoffload.verbs.Access;
import io.nvmfoffload.verbs.AddressVector;
import io.nvmfoffload.verbs.CompletionQueue;
import io.nvmfoffload.verbs.DeviceContext;
import io.nvmfoffload.verbs.GidEntry;
import io.nvmfoffload.verbs.GidType;
import io.nvmfoffload.verbs.LeakReport;
import io.nvmfoffload.verbs.MemoryRegion;
import io.nvmfoffload.verbs.ProtectionDomain;
import io.nvmfoffload.verbs.QpInfo;
import io.nvmfoffload.verbs.QpInitAttributes;
import io.nvmfoffload.verbs.QpModification;
import io.nvmfoffload.verbs.QpState;
import io.nvmfoffload.verbs.QueuePair;
import io.nvmfoffload.verbs.RdmaDevices;
import io.nvmfoffload.verbs.ReceiveWorkRequests;
import io.nvmfoffload.verbs.SendWorkRequests;
import io.nvmfoffload.verbs.WcOpcode;
import io.nvmfoffload.verbs.WrOpcode;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real verbs objects, without rdma_cm: dependency order on close, and an RC QP moved through its states by hand. */
@InBed
class ResourceLifecycleTest {
    @Test
    void closingAPdWithRegisteredMemoryAndAQpFailsNamingThemAndDependencyOrderWorks() {
        try (Arena arena = Arena.ofConfined()) {
            DeviceContext ctx = RdmaDevices.open(Rxe.DEVICE);
            ProtectionDomain pd = ctx.allocateProtectionDomain();
            CompletionQueue cq = ctx.createCompletionQueue(8);
            MemoryRegion a = pd.registerMemory(arena.allocate(4096, 4096), Access.LOCAL_WRITE);
            MemoryRegion b = pd.registerMemory(arena.allocate(8192, 4096), Access.LOCAL_WRITE, Access.REMOTE_READ);
            QueuePair qp = pd.createQueuePair(QpInitAttributes.reliableConnected(cq, cq));

            IllegalStateException busy = assertThrows(IllegalStateException.class, pd::close);
            assertEquals("cannot close PD: 2 MRs and 1 QP still open (PD on rxe0)", busy.getMessage());
            IllegalStateException cqBusy = assertThrows(IllegalStateException.class, cq::close);
            assertTrue(cqBusy.getMessage().startsWith("cannot close CQ: 1 QP still open"), cqBusy.getMessage());
            IllegalStateException ctxBusy = assertThrows(IllegalStateException.class, ctx::close);
            assertEquals("cannot close device context: 1 CQ and 1 PD still open (device context of rxe0)", ctxBusy.getMessage());

            qp.close();
            a.close();
            b.close();
            cq.close();
            pd.close();
            ctx.close();
            assertFalse(LeakReport.liveResources().contains(ctx));
            IllegalStateException closed = assertThrows(IllegalStateException.class,
                    () -> pd.registerMemory(arena.allocate(4096, 4096), Access.LOCAL_WRITE));
            assertEquals("PD on rxe0 is closed", closed.getMessage());
        }
    }

    @Test
    void heapMemoryCannotBeRegistered() {
        try (DeviceContext ctx = RdmaDevices.open(Rxe.DEVICE); ProtectionDomain pd = ctx.allocateProtectionDomain()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> pd.registerMemory(MemorySegment.ofArray(new byte[4096]), Access.LOCAL_WRITE));
            assertTrue(e.getMessage().startsWith("only native memory can be registered"), e.getMessage());
        }
    }

    @Test
    void twoQpsConnectedByModifyAloneExchangeASend() throws Exception {
        try (Arena arena = Arena.ofConfined();
             DeviceContext ctx = RdmaDevices.open(Rxe.DEVICE);
             ProtectionDomain pd = ctx.allocateProtectionDomain();
             CompletionQueue cq = ctx.createCompletionQueue(16);
             MemoryRegion mr = pd.registerMemory(arena.allocate(4096, 4096), Access.LOCAL_WRITE);
             QueuePair a = pd.createQueuePair(QpInitAttributes.reliableConnected(cq, cq));
             QueuePair b = pd.createQueuePair(QpInitAttributes.reliableConnected(cq, cq));
             SendWorkRequests sends = new SendWorkRequests(1, 1);
             ReceiveWorkRequests recvs = new ReceiveWorkRequests(1, 1)) {
            assertEquals(QpState.RESET, a.state());
            InetAddress address = InetAddress.getByName(Rxe.address());
            GidEntry gid = ctx.gidTable(1).stream()
                    .filter(g -> g.type().equals(Optional.of(GidType.ROCE_V2)) && g.gid().toInetAddress().equals(address))
                    .findFirst().orElseThrow();
            var mtu = ctx.queryPort(1).activeMtu();
            for (QueuePair[] pair : new QueuePair[][] {{a, b}, {b, a}}) {
                QueuePair self = pair[0];
                QueuePair peer = pair[1];
                self.modify(QpModification.toState(QpState.INIT).pkeyIndex(0).port(1).access(Set.of(Access.REMOTE_WRITE)));
                self.modify(QpModification.toState(QpState.RTR).pathMtu(mtu).destQpNumber(peer.qpNumber()).rqPsn(0)
                        .maxDestRdAtomic(1).minRnrTimer(12).addressVector(AddressVector.roce(1, gid.gid(), gid.index())));
                self.modify(QpModification.toState(QpState.RTS).timeout(14).retryCount(7).rnrRetry(7).sqPsn(0).maxRdAtomic(1));
            }
            QpInfo info = a.query();
            assertEquals(QpState.RTS, info.state());
            assertEquals(b.qpNumber(), info.destQpNumber());
            assertEquals(mtu, info.pathMtu());
            assertEquals(gid.gid(), info.addressVector().destinationGid());

            recvs.get(0).reset().wrId(2).addSge(mr, 2048, 64);
            b.postReceive(recvs, 1);
            mr.segment().set(java.lang.foreign.ValueLayout.JAVA_LONG, 0, 0x1122334455667788L);
            sends.get(0).reset().wrId(1).opcode(WrOpcode.SEND).signaled(true).addSge(mr, 0, 8);
            a.postSend(sends, 1);

            var done = Completions.successful(Completions.take(cq, 2, Loopback.TIMEOUT));
            Completion received = done.stream().filter(c -> c.wrId() == 2).findFirst().orElseThrow();
            assertEquals(WcOpcode.RECV, received.opcode());
            assertEquals(b.qpNumber(), received.qpNumber());
            assertEquals(0x1122334455667788L, mr.segment().get(java.lang.foreign.ValueLayout.JAVA_LONG, 2048));
        }
    }
}
