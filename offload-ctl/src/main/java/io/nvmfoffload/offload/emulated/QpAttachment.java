package io.nvmfoffload.offload.emulated;

import io.nvmfoffload.verbs.QueuePair;
import io.nvmfoffload.nvmf.transport.rdma.SendBatches;
import io.nvmfoffload.verbs.nvmf.IoQueueAttributes;

/** An I/O queue's QP attached to an offload context by enableOffload. Guarded by its context's lock. */
final class QpAttachment {
    final QueuePair qp;
    final EmulatedNvmfSrq srq;
    /** The queue's identifier from its Connect: the SQID of the engine's completions. */
    final int sqid;
    private final IoQueueAttributes queue;
    /**
     * The SQ head pointer the engine's completions report: every capsule that arrives on the QP
     * consumes an SQ entry, whoever serves it, and the pointer wraps at the queue's entries.
     */
    int sqHead;
    /** Offloaded commands of this QP not yet answered (or whose response is still in flight). */
    int outstanding;
    boolean draining;
    /**
     * The device let go of the QP at its drain (it does not raise QP_LAST_NVME_CQE_REACHED): nothing
     * more is posted on it. Written under the context's lock and this object's monitor, which the
     * posting thread holds around each post it makes for the QP.
     */
    boolean released;
    /** QP_FATAL was raised for this QP: once is enough, its queue is being disconnected. */
    boolean fatal;
    /** Commands whose sends wait for the end of the poller's pass. */
    final SendBatches.Batch<OffloadedCommand> batch;

    QpAttachment(QueuePair qp, EmulatedNvmfSrq srq, IoQueueAttributes queue) {
        this.qp = qp;
        this.batch = new SendBatches.Batch<>(qp);
        this.srq = srq;
        this.queue = queue;
        this.sqid = queue.qid();
        this.sqHead = queue.sqHead();
    }

    /** A capsule arrived on the QP: the SQ head moves past its entry. */
    void capsuleArrived() {
        sqHead = queue.advance(sqHead);
    }

    @Override
    public String toString() {
        return (qp == null ? "QP" : "QP " + qp.qpNumber()) + " (qid " + sqid + ", " + queue.entries() + " entries)";
    }
}
