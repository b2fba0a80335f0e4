package io.nvmfoffload.offload.emulated;

import io.nvmfoffload.nvme.spec.CompletionQueueEntry;
import io.nvmfoffload.nvmf.transport.rdma.RdmaTransportOptions;
import io.nvmfoffload.nvmf.transport.rdma.SendRouter;
import io.nvmfoffload.verbs.Access;
import io.nvmfoffload.verbs.MemoryRegion;
import io.nvmfoffload.verbs.ProtectionDomain;
import io.nvmfoffload.verbs.SendWorkRequests;
import io.nvmfoffload.verbs.WrOpcode;
import io.nvmfoffload.verbs.nvmf.NvmfDatapath;

import java.util.function.BiConsumer;

/**
 * {@link HostTransfers} on verbs: two prepared work requests per slot, and a {@link SendRouter}
 * (as the software path's SendPosting, with the RDMA transport's default options) that hands posts
 * moving {@link RdmaTransportOptions#DEFAULT_POSTING_THREAD_MIN_BYTES} or more to a posting thread of the context's own (on rxe a post does the protocol work in the
 * caller's system call, and a NIC's engine runs beside the host CPU anyway), and batches smaller
 * ones made on the poller per queue pair until the end of its pass: a NIC rings no doorbell per
 * command either.
 *
 * <p>A work request's wr_id is the datapath tag, the context id, the kind and the slot.
 */
final class RdmaHostTransfers implements HostTransfers {
    private final int srqId;
    private final Object lock;
    private final MemoryRegion stagingMr;
    private final MemoryRegion responseMr;
    /** Two entries per command (index 2i, 2i+1): a command's chain can wait for the posting thread while others are built. */
    private final SendWorkRequests wrs;
    private final SendRouter<OffloadedCommand> router;
    private final Runnable[] postJobs;
    private boolean pollerClaimed;
    private Refusals refusals;
    private final BiConsumer<OffloadedCommand, RuntimeException> notPosted = (cmd, e) -> refusals.refused(cmd, e);

    /**
     * @param lock      the context's lock, taken when the posting thread reports a refusal
     * @param stagingMr the staging buffer's memory region
     * @param pd        where the response area is registered
     */
    RdmaHostTransfers(int srqId, Object lock, StagingSlots slots, MemoryRegion stagingMr, ProtectionDomain pd) {
        this.srqId = srqId;
        this.lock = lock;
        this.stagingMr = stagingMr;
        int count = slots.count();
        wrs = new SendWorkRequests(2 * count, 1);
        postJobs = new Runnable[count];
        for (int i = 0; i < count; i++) {
            OffloadedCommand cmd = slots.get(i);
            postJobs[i] = () -> postHandedOff(cmd);
        }
        router = new SendRouter<>("nvmf-offload-post-" + srqId, count, RdmaTransportOptions.DEFAULTS);
        responseMr = pd.registerMemory(slots.responses(), Access.LOCAL_WRITE);
    }

    static long wrId(int srqId, int kind, int index) {
        return (long) NvmfDatapath.WR_ID_TAG << 56 | (long) srqId << 32 | (long) kind << 24 | index;
    }

    static int srqIdOf(long wrId) {
        return (int) (wrId >>> 32) & 0xFF_FFFF;
    }

    static int kindOf(long wrId) {
        return (int) (wrId >>> 24) & 0xFF;
    }

    static int slotOf(long wrId) {
        return (int) wrId & 0xFF_FFFF;
    }

    @Override
    public void onRefused(Refusals handler) {
        this.refusals = handler;
    }

    @Override
    public void readHostData(OffloadedCommand cmd) {
        wrs.get(2 * cmd.index).reset().wrId(wrId(srqId, READ_WR, cmd.index)).opcode(WrOpcode.RDMA_READ).signaled(true)
                .remote(cmd.remoteAddress, cmd.remoteKey)
                .addSge(stagingMr, cmd.dataMrOffset, cmd.length);
        post(cmd, 1, cmd.length);
    }

    @Override
    public void sendResponse(OffloadedCommand cmd, int dataBytes) {
        int n = 0;
        int first = 2 * cmd.index;
        if (dataBytes > 0) {
            wrs.get(first + n++).reset().wrId(wrId(srqId, WRITE_WR, cmd.index)).opcode(WrOpcode.RDMA_WRITE).signaled(false)
                    .remote(cmd.remoteAddress, cmd.remoteKey).addSge(stagingMr, cmd.dataMrOffset, dataBytes);
        }
        var send = wrs.get(first + n++).reset().wrId(wrId(srqId, SEND_WR, cmd.index)).signaled(true)
                .addSge(responseMr, (long) cmd.index * CompletionQueueEntry.SIZE, CompletionQueueEntry.SIZE);
        if (cmd.invalidateKey) {
            send.opcode(WrOpcode.SEND_WITH_INV).invalidateRkey(cmd.remoteKey);
        } else {
            send.opcode(WrOpcode.SEND);
        }
        post(cmd, n, dataBytes);
    }

    /**
     * Posts the command's {@code n} prepared work requests, which move {@code bytes}; if the QP
     * refuses (it is gone), the command goes to the refusal handler, here or on the posting thread.
     */
    private void post(OffloadedCommand cmd, int n, int bytes) {
        cmd.link.set(wrs, 2 * cmd.index, n);
        // hand-offs and batching are the poller's; a control thread's post stays here
        if (router.handOffOrBatch(cmd.link, cmd.queue.batch, bytes, postJobs[cmd.index])) {
            return;
        }
        try {
            cmd.link.postOn(cmd.queue.qp);
        } catch (RuntimeException e) {
            refusals.refused(cmd, e);
        }
    }

    private void postHandedOff(OffloadedCommand cmd) {
        QpAttachment att = cmd.queue;
        RuntimeException refusal = null;
        // under the QP's monitor: once the engine let go of the QP, no post reaches it (it may be freed)
        synchronized (att) {
            if (att.released) {
                refusal = new IllegalStateException(att + " was released at its drain");
            } else {
                try {
                    cmd.link.postOn(att.qp);
                } catch (RuntimeException e) {
                    refusal = e;
                }
            }
        }
        if (refusal != null) {
            synchronized (lock) {
                refusals.refused(cmd, refusal);
            }
        }
    }

    @Override
    public void claimForPoller() {
        if (!pollerClaimed) {
            // the poller's first pass; the posting thread then takes hand-offs from it alone
            router.claimForPoller();
            pollerClaimed = true;
        }
    }

    @Override
    public boolean hasBatched() {
        return router.hasBatched();
    }

    @Override
    public void flushBatches() {
        router.flush(notPosted);
    }

    /** Stops the posting thread, frees the work requests and deregisters the response area. */
    @Override
    public void close() {
        router.close();
        wrs.close();
        responseMr.close();
    }
}
