package io.nvmfoffload.nvmf.transport.rdma;

import io.nvmfoffload.nvme.spec.NvmeStatus;
import io.nvmfoffload.offload.OffloadManager;
import io.nvmfoffload.offload.PortOffload;
import io.nvmfoffload.nvme.spec.SubmissionQueueEntry;
import io.nvmfoffload.nvmf.Port;
import io.nvmfoffload.nvmf.TransportType;
import io.nvmfoffload.nvmf.core.DataDirection;
import io.nvmfoffload.nvmf.core.Request;
import io.nvmfoffload.nvmf.core.RequestState;
import io.nvmfoffload.nvmf.core.TargetCore;
import io.nvmfoffload.nvmf.transport.PortListener;
import io.nvmfoffload.nvmf.transport.buffer.DataBufferUse;
import io.nvmfoffload.verbs.SendWorkRequests;
import io.nvmfoffload.verbs.WrOpcode;
import io.nvmfoffload.verbs.WorkCompletions;
import io.nvmfoffload.verbs.cm.CmEventChannel;
import io.nvmfoffload.verbs.cm.CmId;
import io.nvmfoffload.verbs.nvmf.NvmfDatapath;

import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * An NVMe-oF/RDMA listener on one port: rdma_cm accepts queue pairs ({@link RdmaConnectionManager},
 * which checks the NVMe-oF private data and the port's limits), every QP shares one SRQ and one CQ (on a device without SRQs each QP has a receive queue
 * of its own, fed from the listener's pool), and one poller thread turns receive completions into
 * requests, fetches write data with RDMA READ, and runs the core. When the port's subsystems are
 * offloaded, I/O queues are switched to offload after CONNECT and every capsule of theirs is first
 * offered to the offload's datapath (which, for a NIC, never shows them to software at all).
 */
public final class RdmaTransport implements PortListener {
    private static final System.Logger LOG = System.getLogger(RdmaTransport.class.getName());
    private static final io.nvmfoffload.nvmf.HostLog HOST_LOG = RdmaQueue.HOST_LOG;

    private final TargetCore core;
    private final Port port;
    private final RdmaTransportOptions options;
    private final CmEventChannel channel;
    private final CmId listener;
    private final RdmaResources resources;
    private final RdmaConnectionManager connections;
    private final Thread poller;
    private final SendPosting posting;
    private final PortOffload offload;
    private final NvmfDatapath datapath;
    private final OffloadManager offloads;
    private volatile boolean stopPolling;

    public RdmaTransport(TargetCore core, Port port) {
        this(core, port, null);
    }

    /**
     * @param port     an RDMA port, with its {@link RdmaTransportOptions}
     * @param offloads the target's offload control path, or null for a software-only port
     */
    public RdmaTransport(TargetCore core, Port port, OffloadManager offloads) {
        if (port.transport() != TransportType.RDMA) {
            throw new IllegalArgumentException(port + " is not an rdma port");
        }
        this.core = core;
        this.port = port;
        this.options = RdmaTransportOptions.of(port);
        this.offloads = offloads;
        InetSocketAddress address;
        try {
            address = new InetSocketAddress(InetAddress.getByName(port.address()), port.serviceId());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(port + ": address " + port.address() + " does not resolve", e);
        }
        channel = CmEventChannel.create();
        try {
            listener = channel.listen(address, 128);
            resources = new RdmaResources(listener.context(), port.inCapsuleDataSize(), options.maxSrqDepth(), options.noSrq(),
                    core.target().limits().dataBufferPoolBytes(), port.maxIoSize());
            pending = new PendingReceives(resources.receiveCount);
            needBuffer = new NeedBufferStage(resources, this::ready);
            capsuleSgl = new CapsuleSgl(port.maxIoSize());
        } catch (RuntimeException e) {
            channel.close();
            throw new IllegalStateException("cannot listen for NVMe/RDMA on " + port + ": " + e.getMessage(), e);
        }
        try {
            if (offloads != null && !resources.sharesReceiveQueue()
                    && core.target().exposedOn(port.id()).stream().anyMatch(s -> s.offload() != null)) {
                LOG.log(System.Logger.Level.WARNING, "{0}: no shared receive queue, so no NVMf offload on this port (an offload "
                        + "SRQ is where offloaded queue pairs receive); every command takes the software path", port);
            }
            offload = offloads == null || !resources.sharesReceiveQueue() ? PortOffload.none(port)
                    : offloads.openPort(port, resources.pd, options.maxSrqDepth());
        } catch (RuntimeException e) {
            closeQuietly(listener);
            closeQuietly(resources);
            channel.close();
            throw e;
        }
        datapath = offload.datapath();
        posting = new SendPosting("nvmf-rdma-post-" + port.id(), resources.slots, this::postFailed, options);
        connections = new RdmaConnectionManager(core, port, channel, resources, offload, posting);
        poller = Thread.ofPlatform().daemon().name("nvmf-rdma-poll-" + port.id()).start(this::pollLoop);
        LOG.log(System.Logger.Level.INFO, "listening on {0} ({1}; {2}; offload provider: {3}; {4})", port, listener.context().name(),
                resources.sharesReceiveQueue() ? "a shared receive queue of " + options.maxSrqDepth() + " buffers"
                        : "a receive queue per queue pair from " + resources.receiveCount + " buffers", offload.providerName(), options);
    }

    @Override
    public Port port() {
        return port;
    }

    /** The port's tunables this listener was made with. */
    public RdmaTransportOptions options() {
        return options;
    }

    /** The most commands this listener held at once, against its {@link #receiveBuffers()}. */
    public int peakRequestsInFlight() {
        return resources.peakSlotsInUse();
    }

    /** Request slots held by commands now: back to 0 once every host has gone. */
    public int requestSlotsInUse() {
        return resources.slotsInUse();
    }

    /** The most receives that ever waited for a request slot at once (0: slots never ran out). */
    public int peakPendingReceives() {
        return peakPending;
    }

    /** The listener's receive buffers: the shared receive queue's, or the pool of the queue pairs' own receive queues. */
    public int receiveBuffers() {
        return resources.receiveCount;
    }

    /** Whether the queue pairs share one receive queue (else each has its own). */
    public boolean sharesReceiveQueue() {
        return resources.sharesReceiveQueue();
    }

    /** Receive buffers given to queue pairs or held by commands; without the SRQ, 0 once every queue is gone. */
    public int receiveBuffersInUse() {
        return resources.receivesInUse();
    }

    /** The listener's data buffers now: pool size, memory registered so far, bytes commands hold, the most commands that waited. */
    @Override
    public DataBufferUse dataBuffers() {
        return resources.buffers.use(needBuffer.peakWaiting());
    }

    /** Responses sent as SEND_WITH_INV, invalidating the host's rkey as its SGL asked. */
    public long remoteInvalidations() {
        return resources.remoteInvalidations.sum();
    }

    /** Queue pairs accepted and not yet torn down: one per NVMe queue of a connected host. */
    @Override
    public int connectionCount() {
        return connections.queueCount();
    }

    /** Connect requests whose accept failed; their queue pair, CM id and receives were freed. */
    public long acceptFailures() {
        return connections.acceptFailures();
    }

    /** The port's offload (provider "none" when nothing is offloaded here). */
    public PortOffload offload() {
        return offload;
    }

    // --- data path ---

    private void pollLoop() {
        posting.claimForPoller();
        WorkCompletions wcs = new WorkCompletions(64);
        PollerIdle idle = new PollerIdle(resources.cq, resources.cqChannel, PollerIdle.SPINS,
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
            if (n == 0 && engineWork == 0 && waitingServed == 0) {
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
            for (int i = 0; i < n; i++) {
                try {
                    completion(wcs, i);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, port + ": handling " + wcs.describe(i) + " failed", e);
                }
            }
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
                if (!wcs.isSuccess(i)) {
                    RdmaQueue q = slot.queue;
                    resources.releaseSlotOf(slot);
                    if (q != null) {
                        q.disconnect("RDMA READ of host data failed: " + wcs.describe(i));
                    }
                    return;
                }
                ready(slot);
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
            case RdmaResources.DRAIN -> {
                connections.drained(index);
            }
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

    /** The poller's own: a zero-length signaled SEND per torn-down QP, after everything this pass posted. */
    private final SendWorkRequests drainMarker = new SendWorkRequests(1, 1);

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

    /** A post handed to the posting thread or batched failed: no completion will return the slot, so this does. */
    private void postFailed(RdmaSlot slot) {
        RdmaQueue q = slot.queue;
        resources.releaseSlotOf(slot);
        if (q != null) {
            q.disconnect("posting to the send queue failed: " + slot.postFailure);
        }
    }

    /** The offload engine took a capsule in this pass; the poller thread's own. */
    private boolean offloadTookWork;

    /** Decoder of the SGL of each received capsule; the poller thread's own. */
    private CapsuleSgl capsuleSgl;
    /** Receives waiting for a request slot, and commands waiting for a data buffer; the poller thread's own. */
    private PendingReceives pending;
    private NeedBufferStage needBuffer;
    private volatile int peakPending;

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
        if (queue.offloaded && datapath.offerCapsule(queue.qp, resources.receiveArea, resources.receiveOffset(recvIndex), length)) {
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

    /** Serves waiting receives while slots are free; returns how many it served. Poller thread. */
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

    @Override
    public void close() {
        // The poller keeps running until torn-down queues are drained: their last completions come through it.
        connections.close();
        stopPolling = true;
        try {
            poller.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(posting);
        closeQuietly(drainMarker);
        closeQuietly(offload);
        if (offloads != null) {
            offloads.portClosed(offload);
        }
        closeQuietly(listener);
        closeQuietly(resources);
        closeQuietly(channel);
    }

    private static void closeQuietly(AutoCloseable c) {
        RdmaConnectionManager.closeQuietly(c);
    }
}
