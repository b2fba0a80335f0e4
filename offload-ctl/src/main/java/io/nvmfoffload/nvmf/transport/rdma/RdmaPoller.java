package io.nvmfoffload.nvmf.transport.rdma;

import io.nvmfoffload.nvme.spec.NvmeStatus;
import io.nvmfoffload.nvme.spec.SubmissionQueueEntry;
import io.nvmfoffload.nvmf.Port;
import io.nvmfoffload.nvmf.core.DataDirection;
import io.nvmfoffload.nvmf.core.Request;
import io.nvmfoffload.nvmf.core.RequestState;
import io.nvmfoffload.verbs.SendWorkRequests;
import io.nvmfoffload.verbs.WorkCompletions;
import io.nvmfoffload.verbs.WrOpcode;
import io.nvmfoffload.verbs.nvmf.NvmfDatapath;

import java.lang.foreign.MemorySegment;

/**
 * The poller half of an NVMe-oF/RDMA listener: one thread polls the listener's CQ, turns receive
 * completions into requests (which wait in arrival order for a request slot or a data buffer when
 * none is free), fetches write data with RDMA READ, runs the core, and at the end of each pass
 * rings each send queue once. Capsules of offloaded queues are first offered to the offload's
 * datapath, which the poller also drives. One thread per listener, as SPDK's poll group: the
 * waiting commands and the pass's batches are its own and need no locks.
 */
final class RdmaPoller implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RdmaTransport.class.getName());

    private final Port port;
    private final RdmaResources resources;
    private final RdmaConnectionManager connections;
    private final SendPosting posting;
    private final NvmfDatapath datapath;
    /** Decoder of the SGL of each received capsule. */
    private final CapsuleSgl capsuleSgl;
    /** Receives waiting for a request slot. */
    private final PendingReceives pending;
    /** Commands waiting for a data buffer. */
    private final NeedBufferStage needBuffer;
    /** A zero-length signaled SEND per torn-down QP, posted after everything the pass posted. */
    private final SendWorkRequests drainMarker = new SendWorkRequests(1, 1);
    private final Thread thread;
    private volatile boolean stopPolling;
    /** The most receives that waited for a slot at once; read by status. */
    private volatile int peakPending;
    /** The offload engine took a capsule in this pass. */
    private boolean offloadTookWork;

    /** Starts the poller thread of {@code port}'s listener. */
    RdmaPoller(Port port, RdmaResources resources, RdmaConnectionManager connections, SendPosting posting, NvmfDatapath datapath) {
        this.port = port;
        this.resources = resources;
        this.connections = connections;
        this.posting = posting;
        this.datapath = datapath;
        this.capsuleSgl = new CapsuleSgl(port.maxIoSize());
        this.pending = new PendingReceives(resources.receiveCount, resources::totalReceives);
        this.needBuffer = new NeedBufferStage(resources, this::ready);
        this.thread = Thread.ofPlatform().daemon().name("nvmf-rdma-poll-" + port.id()).start(this::pollLoop);
    }

    /** The most receives that ever waited for a request slot at once (0: slots never ran out). */
    int peakPendingReceives() {
        return peakPending;
    }

    /** The most commands that ever waited for a data buffer at once. */
    int peakBufferWaits() {
        return needBuffer.peakWaiting();
    }

    private void pollLoop() {
        posting.claimForPoller();
        WorkCompletions wcs = new WorkCompletions(64);
        PollerIdle idle = new PollerIdle(resources.cq, resources::offloadReceiveQueues, resources.cqChannel, PollerIdle.SPINS,
                () -> pending.isEmpty() && needBuffer.isEmpty() && !posting.hasFailures() && !connections.drainRequested()
                        && datapath.readyToSleep());
        while (!stopPolling) {
            int n;
            int engineWork;
            try {
                n = resources.cq.poll(wcs);
            } catch (RuntimeException e) {
                if (!connections.closing()) {
                    LOG.log(System.Logger.Level.ERROR, port + ": polling the completion queue failed", e);
                }
                break;
            }
            try {
                engineWork = datapath.progress();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, port + ": the offload engine failed; software keeps serving", e);
                engineWork = 0;
            }
            int waitingServed;
            try {
                waitingServed = posting.drainFailures() + drainPending() + needBuffer.serve();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, port + ": serving a command that waited for a slot failed", e);
                waitingServed = 0;
            }
            handle(wcs, n);
            int offloadReceived = pollOffloadReceives(wcs);
            if (n == 0 && offloadReceived == 0 && engineWork == 0 && waitingServed == 0) {
                endOfPass();
                try {
                    idle.idle();
                } catch (RuntimeException e) {
                    if (!connections.closing()) {
                        LOG.log(System.Logger.Level.ERROR, port + ": waiting for completions failed", e);
                    }
                    break;
                }
                continue;
            }
            idle.busy();
            if (offloadTookWork) {
                // Commands the engine took in this pass reach their backends now and, if done,
                // leave in this pass's post, instead of one pass later (as software answers them).
                try {
                    datapath.progress();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, port + ": the offload engine failed; software keeps serving", e);
                }
                offloadTookWork = false;
            }
            endOfPass();
        }
        wcs.close();
    }

    private void handle(WorkCompletions wcs, int n) {
        for (int i = 0; i < n; i++) {
            try {
                completion(wcs, i);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, port + ": handling " + wcs.describe(i) + " failed", e);
            }
        }
    }

    /** Polls the CQ of each offload SRQ (the receives of offloaded subsystems' I/O queues) and handles what it found. */
    private int pollOffloadReceives(WorkCompletions wcs) {
        int found = 0;
        for (OffloadReceiveQueue o : resources.offloadReceiveQueues()) {
            int n;
            try {
                n = o.cq.poll(wcs);
            } catch (RuntimeException e) {
                if (!connections.closing()) {
                    LOG.log(System.Logger.Level.ERROR, port + ": polling the CQ of " + o + " failed", e);
                }
                continue;
            }
            handle(wcs, n);
            found += n;
        }
        return found;
    }

    private void completion(WorkCompletions wcs, int i) {
        long wrId = wcs.wrId(i);
        if (NvmfDatapath.ownsWrId(wrId)) {
            datapath.onCompletion(wcs, i);
            return;
        }
        int index = RdmaResources.index(wrId);
        switch (RdmaResources.kind(wrId)) {
            case RdmaResources.RECV -> {
                if (wcs.isSuccess(i)) {
                    if (resources.receiveTaken(index, wcs.qpNumber(i))) {
                        received(index, wcs.byteLength(i), wcs.qpNumber(i));
                    }
                } else if (!connections.closing()) {
                    resources.receiveFailed(index, wcs.qpNumber(i));
                    disconnectQp(wcs.qpNumber(i), "a receive failed: " + wcs.describe(i));
                }
            }
            case RdmaResources.READ -> {
                RdmaSlot slot = resources.slots[index];
                if (wcs.isSuccess(i)) {
                    ready(slot);
                } else {
                    resources.releaseSlotAndDisconnect(slot, "RDMA READ of host data failed: " + wcs.describe(i));
                }
            }
            case RdmaResources.SEND -> {
                RdmaSlot slot = resources.slots[index];
                RdmaQueue q = slot.queue;
                if (slot.request.state() == RequestState.COMPLETING) {
                    slot.request.transition(RequestState.COMPLETED);
                }
                resources.releaseSlotOf(slot);
                // a queue already torn down flushes its sends: that is no news
                if (!wcs.isSuccess(i) && q != null && !connections.closing() && connections.queue(q.qp.qpNumber()) == q) {
                    q.disconnect("a response SEND failed: " + wcs.describe(i));
                }
            }
            case RdmaResources.DRAIN -> connections.drained(index);
            case RdmaResources.WRITE -> {
                if (!wcs.isSuccess(i) && !connections.closing()) {
                    disconnectQp(wcs.qpNumber(i), "RDMA WRITE of read data failed: " + wcs.describe(i));
                }
            }
            default -> LOG.log(System.Logger.Level.WARNING, "{0}: completion with unknown wr_id {1}", port, wrId);
        }
    }

    private void disconnectQp(int qpNumber, String why) {
        RdmaQueue q = connections.queue(qpNumber);
        if (q != null) {
            q.disconnect(why);
        }
    }

    /** Rings each send queue once for what this pass batched: ours, then the offload engine's. */
    private void endOfPass() {
        posting.flush();
        try {
            datapath.endOfPass();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, port + ": the offload engine failed to post; software keeps serving", e);
        }
        postDrainMarkers();
    }

    private void postDrainMarkers() {
        RdmaQueue q;
        while ((q = connections.nextDrainRequest()) != null) {
            int qpNumber = q.qp.qpNumber();
            try {
                drainMarker.get(0).reset().wrId(RdmaResources.wrId(RdmaResources.DRAIN, qpNumber)).opcode(WrOpcode.SEND).signaled(true);
                q.qp.postSend(drainMarker, 1);
            } catch (RuntimeException e) {
                // nothing can be posted: nothing more will complete either
                connections.drained(qpNumber);
            }
        }
    }

    private void received(int recvIndex, int length, int qpNumber) {
        RdmaQueue queue = connections.queue(qpNumber);
        if (queue == null) {
            resources.repostReceive(recvIndex, qpNumber);
            return;
        }
        if (length < SubmissionQueueEntry.SIZE) {
            // as nvmet-rdma: a capsule shorter than a command is a fatal error of the queue
            resources.repostReceive(recvIndex, qpNumber);
            queue.disconnect("a capsule of " + length + " bytes, shorter than a command");
            return;
        }
        if (queue.offloaded && datapath.offerCapsule(queue.qp, resources.receiveAreaOf(recvIndex), resources.receiveOffset(recvIndex), length)) {
            resources.repostReceive(recvIndex, qpNumber);
            offloadTookWork = true;
            return;
        }
        RdmaSlot slot = pending.isEmpty() ? resources.takeSlot() : null;
        if (slot == null) {  // behind the ones already waiting, in arrival order
            if (pending.isEmpty()) {
                LOG.log(System.Logger.Level.DEBUG, "{0}: every request slot taken; commands wait with their receive buffers", port);
            }
            pending.add(recvIndex, length, qpNumber);
            peakPending = Math.max(peakPending, pending.size());
            return;
        }
        dispatch(slot, queue, recvIndex, length);
    }

    /** Serves waiting receives while slots are free; returns how many it served. */
    private int drainPending() {
        int served = 0;
        while (!pending.isEmpty()) {
            int recvIndex = pending.headRecvIndex();
            int length = pending.headLength();
            int qpNumber = pending.headQpNumber();
            RdmaQueue queue = connections.queue(qpNumber);
            if (queue == null) {  // its queue pair went away while it waited
                pending.removeHead();
                resources.repostReceive(recvIndex, qpNumber);
                continue;
            }
            RdmaSlot slot = resources.takeSlot();
            if (slot == null) {
                break;
            }
            pending.removeHead();
            dispatch(slot, queue, recvIndex, length);
            served++;
        }
        return served;
    }

    private void dispatch(RdmaSlot slot, RdmaQueue queue, int recvIndex, int length) {
        slot.queue = queue;
        if (queue.slotsHeld.incrementAndGet() > queue.entries) {
            // more commands than HSQSIZE allows: the host broke flow control; it may not pin the port's slots
            resources.repostReceive(recvIndex, queue.qp.qpNumber());
            resources.releaseSlot(slot);
            queue.disconnect("more than " + queue.entries + " commands outstanding, its queue's size (HSQSIZE + 1)");
            return;
        }
        int qpNumber = queue.qp.qpNumber();
        Request request = slot.request;
        MemorySegment buffer = resources.receiveBuffer(recvIndex);
        MemorySegment.copy(buffer, 0, request.command(), 0, SubmissionQueueEntry.SIZE);
        request.transition(RequestState.NEW);
        request.transition(RequestState.NEED_BUFFER);

        DataDirection direction = request.direction();
        CapsuleSgl sgl = capsuleSgl.decode(request.command(), direction, length);
        slot.invalidateKey = false;
        switch (sgl.kind) {
            case NO_DATA -> {
                request.data(MemorySegment.NULL);
                resources.repostReceive(recvIndex, qpNumber);
                ready(slot);
                return;
            }
            case IN_CAPSULE -> {  // used where it landed
                slot.heldReceive = recvIndex;
                slot.heldReceiveQp = qpNumber;
                request.data(buffer.asSlice(SubmissionQueueEntry.SIZE + sgl.offset, sgl.length));
                ready(slot);
                return;
            }
            case REJECT -> {
                resources.repostReceive(recvIndex, qpNumber);
                reject(slot, sgl.status);
                return;
            }
            case KEYED -> resources.repostReceive(recvIndex, qpNumber);
        }
        slot.remoteAddress = sgl.remoteAddress;
        slot.remoteKey = sgl.remoteKey;
        slot.invalidateKey = sgl.invalidate;
        needBuffer.need(slot, sgl.length);
    }

    private void ready(RdmaSlot slot) {
        slot.request.transition(RequestState.READY_TO_EXECUTE);
        slot.queue.nvmfQueue.execute(slot.request);
    }

    private void reject(RdmaSlot slot, NvmeStatus status) {
        slot.queue.nvmfQueue.reject(slot.request, status);
        slot.queue.complete(slot.request);
    }

    /**
     * Stops the thread and frees the drain marker. Call it after the connection manager closed:
     * torn-down queues' last completions come through the poller.
     */
    @Override
    public void close() {
        stopPolling = true;
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drainMarker.close();
    }
}
