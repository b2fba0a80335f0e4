package io.nvmfoffload.verbs;

import io.nvmfoffload.verbs.ffi.IbvLayouts;
import io.nvmfoffload.verbs.ffi.StructView;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * What {@code struct ibv_qp_init_attr} asks for when a QP is created. Defaults: RC, 16 send and 16
 * receive work requests of one SGE each, no inline data, completions only for signaled requests.
 */
public final class QpInitAttributes {
    private final CompletionQueue sendCq;
    private final CompletionQueue recvCq;
    private QpType type = QpType.RC;
    private SharedReceiveQueue srq;
    private int maxSendWr = 16;
    private int maxRecvWr = 16;
    private int maxSendSge = 1;
    private int maxRecvSge = 1;
    private int maxInlineData;
    private boolean signalAll;

    private QpInitAttributes(CompletionQueue sendCq, CompletionQueue recvCq) {
        this.sendCq = sendCq;
        this.recvCq = recvCq;
    }

    /** A reliable-connected QP completing sends on {@code sendCq} and receives on {@code recvCq} (may be the same). */
    public static QpInitAttributes reliableConnected(CompletionQueue sendCq, CompletionQueue recvCq) {
        if (sendCq == null || recvCq == null) {
            throw new IllegalArgumentException("a QP needs a send CQ and a receive CQ");
        }
        return new QpInitAttributes(sendCq, recvCq);
    }

    /** Take receives from {@code srq} instead of a receive queue of the QP's own. */
    public QpInitAttributes sharedReceiveQueue(SharedReceiveQueue srq) {
        this.srq = srq;
        return this;
    }

    public QpInitAttributes maxSendWr(int n) {
        this.maxSendWr = n;
        return this;
    }

    public QpInitAttributes maxRecvWr(int n) {
        this.maxRecvWr = n;
        return this;
    }

    public QpInitAttributes maxSendSge(int n) {
        this.maxSendSge = n;
        return this;
    }

    public QpInitAttributes maxRecvSge(int n) {
        this.maxRecvSge = n;
        return this;
    }

    public QpInitAttributes maxInlineData(int bytes) {
        this.maxInlineData = bytes;
        return this;
    }

    /** Generate a completion for every send request, not only the signaled ones ({@code sq_sig_all}). */
    public QpInitAttributes signalAll(boolean on) {
        this.signalAll = on;
        return this;
    }

    public QpType type() {
        return type;
    }

    public CompletionQueue sendCq() {
        return sendCq;
    }

    public CompletionQueue recvCq() {
        return recvCq;
    }

    public SharedReceiveQueue sharedReceiveQueue() {
        return srq;
    }

    /**
     * The C struct, in {@code arena}; after creation it holds the capabilities the provider granted
     * ({@link QpCapabilities#granted}).
     */
    public MemorySegment toNative(Arena arena) {
        StructView v = StructView.allocate(arena, IbvLayouts.IBV_QP_INIT_ATTR);
        v.setPointer("send_cq", sendCq.nativeHandle())
                .setPointer("recv_cq", recvCq.nativeHandle())
                .setPointer("srq", srq == null ? MemorySegment.NULL : srq.nativeHandle())
                .setS32("cap.max_send_wr", maxSendWr)
                .setS32("cap.max_recv_wr", srq == null ? maxRecvWr : 0)
                .setS32("cap.max_send_sge", maxSendSge)
                .setS32("cap.max_recv_sge", srq == null ? maxRecvSge : 0)
                .setS32("cap.max_inline_data", maxInlineData)
                .setS32("qp_type", type.value())
                .setS32("sq_sig_all", signalAll ? 1 : 0);
        return v.segment();
    }

    @Override
    public String toString() {
        return type + " QP (send " + maxSendWr + " WRs x " + maxSendSge + " SGEs, "
                + (srq == null ? "receive " + maxRecvWr + " WRs x " + maxRecvSge + " SGEs" : "receives from an SRQ")
                + ", inline " + maxInlineData + (signalAll ? ", signal all" : "") + ")";
    }
}
