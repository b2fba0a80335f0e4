package io.nvmfoffload.offload.emulated;

import io.nvmfoffload.verbs.QueuePair;
import io.nvmfoffload.verbs.WcStatus;
import io.nvmfoffload.verbs.WorkCompletions;
import io.nvmfoffload.verbs.nvmf.NvmfDatapath;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The emulated NIC's offload engine as the transport's poller sees it: capsules of attached QPs
 * are offered to their offload context, completions of the engine's own work requests go back to
 * the context that posted them, and progress polls every context's backends.
 */
final class OffloadEngine implements NvmfDatapath {
    private final QpTable attached = new QpTable();
    private volatile EmulatedNvmfSrq[] contexts = new EmulatedNvmfSrq[0];

    synchronized void add(EmulatedNvmfSrq srq) {
        EmulatedNvmfSrq[] next = Arrays.copyOf(contexts, contexts.length + 1);
        next[contexts.length] = srq;
        contexts = next;
    }

    synchronized void remove(EmulatedNvmfSrq srq) {
        contexts = Arrays.stream(contexts).filter(s -> s != srq).toArray(EmulatedNvmfSrq[]::new);
    }

    QpAttachment attachment(int qpNumber) {
        return attached.get(qpNumber);
    }

    void attach(QpAttachment attachment) {
        synchronized (attachment.srq) {
            attachment.srq.attachments.add(attachment);
        }
        attached.put(attachment.qp.qpNumber(), attachment);
    }

    /** Stops offering the QP's capsules; true if nothing of it is outstanding any more. */
    boolean detach(QpAttachment attachment) {
        attached.remove(attachment.qp.qpNumber());
        synchronized (attachment.srq) {
            attachment.draining = true;
            attachment.srq.attachments.remove(attachment);
            return attachment.outstanding == 0;
        }
    }

    /**
     * Stops offering the QP's capsules and lets go of it at once, as a device without
     * QP_LAST_NVME_CQE_REACHED does: see {@link OffloadCommandFlow#release}.
     */
    void release(QpAttachment attachment) {
        attached.remove(attachment.qp.qpNumber());
        synchronized (attachment.srq) {
            attachment.srq.attachments.remove(attachment);
            attachment.srq.flow.release(attachment);
        }
    }

    int attachedCount() {
        return attached.size();
    }

    @Override
    public boolean offerCapsule(QueuePair qp, MemorySegment buffer, long offset, int length) {
        QpAttachment att = attached.get(qp.qpNumber());
        if (att == null) {
            return false;
        }
        synchronized (att.srq) {
            return !att.draining && att.srq.flow.offer(att, buffer, offset, length);
        }
    }

    @Override
    public void onCompletion(WorkCompletions completions, int index) {
        long wrId = completions.wrId(index);
        int srqId = RdmaHostTransfers.srqIdOf(wrId);
        for (EmulatedNvmfSrq srq : contexts) {
            if (srq.id == srqId) {
                boolean ok = completions.isSuccess(index);
                synchronized (srq) {
                    srq.flow.completion(RdmaHostTransfers.kindOf(wrId), RdmaHostTransfers.slotOf(wrId),
                            WcStatus.of(completions.statusValue(index)), ok ? "" : completions.describe(index));
                }
                return;
            }
        }
    }

    @Override
    public int progress() {
        int n = 0;
        for (EmulatedNvmfSrq srq : contexts) {
            if (srq.flow.quietPass()) {
                continue;
            }
            synchronized (srq) {
                n += srq.flow.progress();
            }
        }
        return n;
    }

    @Override
    public void endOfPass() {
        for (EmulatedNvmfSrq srq : contexts) {
            if (srq.flow.hasBatchedPosts()) {
                synchronized (srq) {
                    srq.flow.flushBatches();
                }
            }
        }
    }

    @Override
    public boolean readyToSleep() {
        for (EmulatedNvmfSrq srq : contexts) {
            if (!srq.flow.readyToSleep()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean hasCommandsAtBackends() {
        for (EmulatedNvmfSrq srq : contexts) {
            if (srq.flow.backendsHaveWork()) {
                return true;
            }
        }
        return false;
    }
}
