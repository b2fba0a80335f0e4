package io.nvmfoffload.offload.emulated;

import io.nvmfoffload.verbs.QueuePair;
import io.nvmfoffload.target.transport.rdma.SendBatches;

/** An I/O queue's QP attached to an offload context by enableOffload. Guarded by its context's lock. */
final class QpAttachment {
    final QueuePair qp;
    final EmulatedNvmfSrq srq;
    /** Offloaded commands of this QP not yet answered (or whose response is still in flight). */
    int outstanding;
    boolean draining;
    /** Capsules seen on this QP since it was attached: the SQ head the engine reports. */
    int capsules;
    /** Commands whose sends wait for the end of the poller's pass. */
    final SendBatches.Batch<OffloadCommand> batch;

    QpAttachment(QueuePair qp, EmulatedNvmfSrq srq) {
        this.qp = qp;
        this.batch = new SendBatches.Batch<>(qp);
        this.srq = srq;
    }
}
