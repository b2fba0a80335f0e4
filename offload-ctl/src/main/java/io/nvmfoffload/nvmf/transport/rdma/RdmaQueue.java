package io.nvmfoffload.nvmf.transport.rdma;

import io.nvmfoffload.nvme.spec.NvmeStatus;
import io.nvmfoffload.offload.PortOffload;
import io.nvmfoffload.nvmf.core.DataDirection;
import io.nvmfoffload.nvmf.core.NvmfQueue;
import io.nvmfoffload.nvmf.core.QueueTransport;
import io.nvmfoffload.nvmf.core.Request;
import io.nvmfoffload.nvmf.core.RequestState;
import io.nvmfoffload.nvmf.transport.buffer.DataBufferPool;
import io.nvmfoffload.verbs.QueuePair;
import io.nvmfoffload.verbs.WrOpcode;
import io.nvmfoffload.verbs.cm.CmId;
import io.nvmfoffload.verbs.nvmf.IoQueueAttributes;

import java.lang.foreign.MemorySegment;

/**
 * One NVMe-oF/RDMA queue pair: an RC QP on the listener's SRQ (or a receive queue of its own) and
 * CQ. Responses go out as a SEND of the 16-byte completion, preceded by an RDMA WRITE of the data
 * for reads, in one posted chain.
 */
final class RdmaQueue implements QueueTransport {
    private static final System.Logger LOG = System.getLogger(RdmaQueue.class.getName());
    /** Disconnects are caused by hosts (and their errors): rate-limited. */
    static final io.nvmfoffload.nvmf.HostLog HOST_LOG = new io.nvmfoffload.nvmf.HostLog(LOG);

    final CmId id;
    final QueuePair qp;
    final RdmaResources resources;
    final String description;
    final int hostQid;
    /** HSQSIZE + 1: the most commands the host may have outstanding on this queue. */
    final int entries;
    /** This queue's part of the listener's data buffers: what its commands hold. */
    final DataBufferPool.Share buffers;
    /** Request slots this queue's commands hold now; at most {@link #entries}. */
    final java.util.concurrent.atomic.AtomicInteger slotsHeld = new java.util.concurrent.atomic.AtomicInteger();
    /** When the connection was accepted: a queue without its Fabrics Connect in time is closed. */
    final long acceptedNanos = System.nanoTime();
    NvmfQueue nvmfQueue;
    /** Torn down: nothing more is posted to its QP (its sends are being drained); responses just free their slot. */
    volatile boolean tornDown;
    /** Switched to offload after its CONNECT; its capsules go to the offload datapath first. */
    volatile boolean offloaded;
    private final PortOffload offload;
    private final SendPosting posting;
    private volatile boolean disconnecting;
    /** This queue's sends waiting for the end of the poller's pass ({@link SendPosting}); poller only. */
    final SendBatches.Batch<RdmaSlot> batch;

    RdmaQueue(CmId id, QueuePair qp, RdmaResources resources, int hostQid, int entries, PortOffload offload, SendPosting posting) {
        this.id = id;
        this.entries = entries;
        this.posting = posting;
        this.offload = offload;
        this.qp = qp;
        this.batch = new SendBatches.Batch<>(qp);
        this.resources = resources;
        this.buffers = resources.buffers.share();
        this.hostQid = hostQid;
        this.description = "rdma " + id.localAddress() + " <- " + id.peerAddress() + " qp " + qp.qpNumber() + " (qid " + hostQid + ")";
    }

    /**
     * After CONNECT: an I/O queue of an offloaded subsystem switches to offload; the admin queue
     * never does. A switch that fails fails the CONNECT with Internal Error and DNR, as the vendor's
     * nvmet_rdma_install_offload_queue, unless the subsystem's offload says the software path
     * serves the queue then.
     */
    @Override
    public int connected(NvmfQueue queue) {
        if (queue.qid() == 0 || queue.controller() == null) {
            return 0;
        }
        PortOffload.Switch outcome = offload.queueConnected(qp, queue.controller().subsystemNqn(),
                new IoQueueAttributes(queue.qid(), queue.entries(), queue.sqHead()));
        offloaded = outcome == PortOffload.Switch.OFFLOADED;
        return outcome == PortOffload.Switch.FAILED ? NvmeStatus.INTERNAL_ERROR.field(true) : 0;
    }

    @Override
    public String hostAddress() {
        return id.peerAddress().getAddress().getHostAddress();
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void complete(Request request) {
        RdmaSlot slot = resources.slots[request.slot()];
        if (tornDown) {
            // the host is gone and the QP is draining: a post now could outlive the drain marker
            resources.releaseSlotOf(slot);
            return;
        }
        MemorySegment.copy(request.response(), 0, resources.responseArea, request.slot() * 16L, 16);
        var send = slot.sendChain.get(1).reset()
                .wrId(RdmaResources.wrId(RdmaResources.SEND, request.slot()))
                .signaled(true)
                .addSge(resources.responseMr, request.slot() * 16L, 16);
        if (slot.invalidateKey && resources.remoteInvalidate) {
            // as nvmet-rdma: the host's MR is invalidated on arrival and the host skips its LOCAL_INV
            send.opcode(WrOpcode.SEND_WITH_INV).invalidateRkey(slot.remoteKey);
            resources.remoteInvalidations.increment();
        } else {
            send.opcode(WrOpcode.SEND);
        }
        boolean withData = request.succeeded() && request.direction() == DataDirection.CONTROLLER_TO_HOST && request.dataLength() > 0;
        try {
            if (withData) {
                request.transition(RequestState.TRANSFERRING_CONTROLLER_TO_HOST);
                slot.sendChain.get(0).reset().wrId(RdmaResources.wrId(RdmaResources.WRITE, request.slot())).opcode(WrOpcode.RDMA_WRITE).signaled(false)
                        .remote(slot.remoteAddress, slot.remoteKey)
                        .addSge(slot.buffer.address(), (int) request.dataLength(), slot.buffer.lkey());
            }
            if (request.state() != RequestState.COMPLETING) {  // a rejected request is already there
                request.transition(RequestState.COMPLETING);
            }
            if (withData) {
                posting.post(slot, slot.sendChain, 0, 2, request.dataLength());
            } else {
                posting.post(slot, slot.sendChain, 1, 1, 0);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: posting the response of {1} failed: {2}", description, request, e.getMessage());
            resources.releaseSlotOf(slot);
            disconnect("posting a response failed: " + e.getMessage());
        }
    }

    /** Reads the host's data for a write with RDMA READ; the poller executes it on completion. */
    void readFromHost(RdmaSlot slot, int length) {
        slot.read.get(0).reset().wrId(RdmaResources.wrId(RdmaResources.READ, slot.request.slot()))
                .opcode(WrOpcode.RDMA_READ).signaled(true)
                .remote(slot.remoteAddress, slot.remoteKey)
                .addSge(slot.buffer.address(), length, slot.buffer.lkey());
        posting.post(slot, slot.read, 0, 1, length);
    }

    @Override
    public void disconnect(String reason) {
        if (disconnecting) {
            return;
        }
        disconnecting = true;
        HOST_LOG.log(System.Logger.Level.INFO, "{0}: disconnecting: {1}", description, reason);
        try {
            id.disconnect();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: rdma_disconnect: {1}", description, e.getMessage());
        }
    }
}
