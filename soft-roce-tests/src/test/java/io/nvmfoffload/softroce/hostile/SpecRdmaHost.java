package io.nvmfoffload.softroce.hostile;

import io.nvmfoffload.verbs.Access;
import io.nvmfoffload.verbs.CompletionQueue;
import io.nvmfoffload.verbs.MemoryRegion;
import io.nvmfoffload.verbs.ProtectionDomain;
import io.nvmfoffload.verbs.QpInitAttributes;
import io.nvmfoffload.verbs.QueuePair;
import io.nvmfoffload.verbs.ReceiveWorkRequests;
import io.nvmfoffload.verbs.SendWorkRequests;
import io.nvmfoffload.verbs.WorkCompletions;
import io.nvmfoffload.verbs.WrOpcode;
import io.nvmfoffload.verbs.cm.CmEvent;
import io.nvmfoffload.verbs.cm.CmEventChannel;
import io.nvmfoffload.verbs.cm.CmEventType;
import io.nvmfoffload.verbs.cm.CmId;
import io.nvmfoffload.verbs.cm.ConnectionParameters;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * One NVMe/RDMA queue as a host holds it, to send any capsule the test builds
 * ({@link RdmaCapsules}): rdma_cm with chosen private data, an RC queue pair, receives posted for
 * 16-byte completions, and host memory a keyed SGL points the target at.
 */
final class SpecRdmaHost implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int RECEIVES = 32;
    private static final long CAPSULE_AT = 0;
    private static final long RESPONSES_AT = 16 << 10;
    static final long DATA_AT = 64 << 10;
    static final int DATA_BYTES = 128 << 10;

    private final Arena arena = Arena.ofShared();
    private final CmEventChannel channel;
    private final CmId id;
    private final ProtectionDomain pd;
    private final CompletionQueue cq;
    private final QueuePair qp;
    private final MemoryRegion mr;
    private final SendWorkRequests sends = new SendWorkRequests(1, 1);
    private final ReceiveWorkRequests recvs = new ReceiveWorkRequests(1, 1);
    private final WorkCompletions wcs = new WorkCompletions(16);
    /** Responses that arrived while a send's completion was awaited, in arrival order. */
    private final java.util.ArrayDeque<Integer> early = new java.util.ArrayDeque<>();

    /** Thrown when the target rejects the CM request; {@link #status} is the binding's reject status. */
    static final class Rejected extends RuntimeException {
        final int status;

        Rejected(int status, CmEvent event) {
            super("rejected with status " + status + ": " + event);
            this.status = status;
        }
    }

    private SpecRdmaHost(InetSocketAddress target, byte[] privateData, boolean awaitEstablished) {
        channel = CmEventChannel.create();
        id = channel.resolve(target, TIMEOUT);
        pd = id.context().allocateProtectionDomain();
        cq = id.context().createCompletionQueue(128);
        qp = id.createQueuePair(pd, QpInitAttributes.reliableConnected(cq, cq).maxSendWr(64).maxRecvWr(RECEIVES + 1)
                .maxSendSge(1).maxRecvSge(1));
        mr = pd.registerMemory(arena.allocate(DATA_AT + DATA_BYTES, 4096), Access.LOCAL_WRITE, Access.REMOTE_WRITE, Access.REMOTE_READ);
        for (int i = 0; i < RECEIVES; i++) {
            postReceive(i);
        }
        id.connect(ConnectionParameters.defaults().withReadDepth(4, 4).withPrivateData(privateData));
        if (!awaitEstablished) {
            return;
        }
        CmEvent event = channel.poll(TIMEOUT.toMillis());
        if (event == null || event.type() != CmEventType.ESTABLISHED) {
            int status = event != null && event.type() == CmEventType.REJECTED && event.privateData().length >= 4
                    ? ByteBuffer.wrap(event.privateData()).order(ByteOrder.LITTLE_ENDIAN).getShort(2) & 0xFFFF : -1;
            close();
            throw event != null && event.type() == CmEventType.REJECTED ? new Rejected(status, event)
                    : new IllegalStateException("no ESTABLISHED: " + event);
        }
    }

    static SpecRdmaHost connect(InetSocketAddress target, byte[] privateData) {
        return new SpecRdmaHost(target, privateData, true);
    }

    /**
     * Sends the CM request and gives up at once: destroying a connecting id makes the host's CM
     * reject the connection (IB CM: REJ, reason timeout), which reaches the target before, during
     * or after its accept.
     */
    static void abandon(InetSocketAddress target, byte[] privateData) {
        new SpecRdmaHost(target, privateData, false).close();
    }

    private void postReceive(int i) {
        recvs.get(0).reset().wrId(i).addSge(mr, RESPONSES_AT + 16L * i, 16);
        qp.postReceive(recvs, 1);
    }

    /** Sends {@code capsule} as one RDMA SEND; waits for its completion. */
    void send(byte[] capsule) {
        MemorySegment.copy(capsule, 0, mr.segment(), ValueLayout.JAVA_BYTE, CAPSULE_AT, capsule.length);
        sends.get(0).reset().wrId(1L << 40).opcode(WrOpcode.SEND).signaled(true).addSge(mr, CAPSULE_AT, capsule.length);
        qp.postSend(sends, 1);
        awaitCompletion(true);
    }

    /** The next completion the target sends. */
    RdmaCapsules.Cqe response() {
        Integer stashed = early.poll();
        int i = stashed != null ? stashed : awaitCompletion(false);
        RdmaCapsules.Cqe cqe = RdmaCapsules.Cqe.parse(mr.segment().asSlice(RESPONSES_AT + 16L * i, 16).asByteBuffer());
        postReceive(i);
        return cqe;
    }

    /** The result of {@code capsule}. */
    RdmaCapsules.Cqe call(byte[] capsule) {
        send(capsule);
        return response();
    }

    /** Polls the CQ for the next send (wr_id bit 40) or receive completion; returns a receive's index. */
    private int awaitCompletion(boolean sendDone) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            int n = cq.poll(wcs, 1);
            if (n == 1) {
                if (!wcs.isSuccess(0)) {
                    throw new IllegalStateException("completion failed: " + wcs.describe(0));
                }
                long wrId = wcs.wrId(0);
                boolean isSend = (wrId & 1L << 40) != 0;
                if (isSend == sendDone) {
                    return (int) (wrId & 0xFFFF);
                }
                if (!isSend) {
                    // the target may answer before this side reaps its own send's completion
                    early.add((int) (wrId & 0xFFFF));
                }
                continue;
            }
            LockSupport.parkNanos(100_000);
        }
        throw new IllegalStateException("no " + (sendDone ? "send" : "receive") + " completion within " + TIMEOUT);
    }

    /** Host memory a keyed SGL can point at. */
    MemorySegment data() {
        return mr.segment().asSlice(DATA_AT, DATA_BYTES);
    }

    long dataAddress() {
        return mr.address() + DATA_AT;
    }

    int rkey() {
        return mr.rkey();
    }

    /** Whether the target ended the connection within {@code millis} (DISCONNECTED on this host's channel). */
    boolean disconnectedWithin(long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            CmEvent e = channel.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000L));
            if (e != null && e.type() == CmEventType.DISCONNECTED) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        try {
            id.disconnect();
        } catch (RuntimeException ignored) {
            // already disconnected by the target
        }
        for (AutoCloseable c : new AutoCloseable[] {qp, mr, cq, pd, id, sends, recvs, wcs, channel}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort: the test's own assertions say what went wrong
            }
        }
        arena.close();
    }
}
