package io.nvmfoffload.nvmf.transport.rdma;

import io.nvmfoffload.offload.PortOffload;
import io.nvmfoffload.nvmf.HostLog;
import io.nvmfoffload.nvmf.Port;
import io.nvmfoffload.nvmf.core.Controller;
import io.nvmfoffload.nvmf.core.TargetCore;
import io.nvmfoffload.verbs.QpInitAttributes;
import io.nvmfoffload.verbs.QueuePair;
import io.nvmfoffload.verbs.nvmf.NvmfSrq;
import io.nvmfoffload.verbs.cm.CmEvent;
import io.nvmfoffload.verbs.cm.CmEventChannel;
import io.nvmfoffload.verbs.cm.CmId;
import io.nvmfoffload.verbs.cm.ConnectionParameters;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * The rdma_cm half of an NVMe-oF/RDMA listener: a thread of its own takes the CM events, checks
 * each connect request's private data and the port's limits, creates and accepts the queue pair,
 * closes queues whose Fabrics Connect does not come in time, and tears queues down. A torn-down
 * QP is freed only once its sends are drained (a marker the poller posts after its own posts,
 * as nvmet's ib_drain_qp) and, when offloaded, the device said its last CQE was reached.
 */
final class RdmaConnectionManager {
    private static final System.Logger LOG = System.getLogger(RdmaTransport.class.getName());
    private static final HostLog HOST_LOG = RdmaQueue.HOST_LOG;

    private final TargetCore core;
    private final Port port;
    private final CmEventChannel channel;
    private final RdmaResources resources;
    private final PortOffload offload;
    private final SendPosting posting;
    private final Map<Integer, RdmaQueue> byQpNumber = new ConcurrentHashMap<>();
    private final Map<CmId, RdmaQueue> byId = new ConcurrentHashMap<>();
    private final List<CompletableFuture<Void>> drains = new ArrayList<>();
    /** Queues torn down whose drain marker the poller has yet to post. */
    private final ConcurrentLinkedQueue<RdmaQueue> drainRequests = new ConcurrentLinkedQueue<>();
    /** Per QP number: completed by the drain marker's completion. */
    private final Map<Integer, CompletableFuture<Void>> sendDrains = new ConcurrentHashMap<>();
    private final Thread cmThread;
    private volatile boolean closing;
    /** Connect requests whose rdma_accept failed (the host gave up meanwhile, or the device refused). */
    private final java.util.concurrent.atomic.LongAdder acceptFailures = new java.util.concurrent.atomic.LongAdder();

    RdmaConnectionManager(TargetCore core, Port port, CmEventChannel channel, RdmaResources resources, PortOffload offload,
                          SendPosting posting) {
        this.core = core;
        this.port = port;
        this.channel = channel;
        this.resources = resources;
        this.offload = offload;
        this.posting = posting;
        // QP_FATAL on an offloaded queue: disconnected as when a work request of ours fails
        offload.onQueueFatal((qpNumber, why) -> {
            RdmaQueue q = byQpNumber.get(qpNumber);
            if (q != null) {
                q.disconnect(why);
            }
        });
        cmThread = Thread.ofPlatform().daemon().name("nvmf-rdma-cm-" + port.id()).start(this::cmLoop);
    }

    /** The queue of QP {@code qpNumber}, or null once it is torn down. */
    RdmaQueue queue(int qpNumber) {
        return byQpNumber.get(qpNumber);
    }

    int queueCount() {
        return byId.size();
    }

    long acceptFailures() {
        return acceptFailures.sum();
    }

    boolean closing() {
        return closing;
    }

    /** For the poller: whether a torn-down queue waits for its drain marker. */
    boolean drainRequested() {
        return !drainRequests.isEmpty();
    }

    RdmaQueue nextDrainRequest() {
        return drainRequests.poll();
    }

    /** The drain marker of QP {@code qpNumber} completed, or could not be posted: its sends are all done. */
    void drained(int qpNumber) {
        CompletableFuture<Void> f = sendDrains.remove(qpNumber);
        if (f != null) {
            f.complete(null);
        }
    }

    private void cmLoop() {
        while (!closing) {
            CmEvent event;
            try {
                event = channel.poll(200);
            } catch (RuntimeException e) {
                if (!closing) {
                    LOG.log(System.Logger.Level.WARNING, "{0}: rdma_cm event channel failed: {1}", port, e.getMessage());
                }
                return;
            }
            closeOverdue();
            if (event == null || event.type() == null) {
                continue;
            }
            try {
                switch (event.type()) {
                    case CONNECT_REQUEST -> connectRequest(event);
                    case ESTABLISHED -> LOG.log(System.Logger.Level.DEBUG, "{0}: established", event.id().describe());
                    case DISCONNECTED, TIMEWAIT_EXIT, DEVICE_REMOVAL, REJECTED, UNREACHABLE, CONNECT_ERROR ->
                            teardown(event.id(), event.typeName());
                    default -> LOG.log(System.Logger.Level.DEBUG, "{0}: {1}", port, event);
                }
            } catch (RuntimeException e) {
                HOST_LOG.log(System.Logger.Level.WARNING, "{0}: handling {1} failed: {2}", port, event, String.valueOf(e));
            }
        }
    }

    /** Closes queues whose host has not completed a Fabrics Connect within the connect timeout. */
    private void closeOverdue() {
        long limit = core.target().limits().connectTimeoutMillis() * 1_000_000L;
        long now = System.nanoTime();
        for (RdmaQueue q : byId.values()) {
            if (q.nvmfQueue.qid() < 0 && now - q.acceptedNanos > limit) {
                q.disconnect("no Fabrics Connect within " + limit / 1_000_000 + " ms (connect_timeout_ms)");
            }
        }
    }

    private void connectRequest(CmEvent event) {
        CmId id = event.id();
        RdmaCmPrivateData.Request request;
        try {
            request = RdmaCmPrivateData.parse(event.privateData(), Controller.ADMIN_QUEUE_ENTRIES, Controller.MAX_QUEUE_ENTRIES);
        } catch (RdmaCmPrivateData.Rejection r) {
            HOST_LOG.log(System.Logger.Level.WARNING, "{0}: rejecting a connection from {1}: {2}", port, id.peerAddress(), r.getMessage());
            id.reject(RdmaCmPrivateData.reject(r.status));
            id.close();
            return;
        }
        int maxConnections = core.target().limits().maxConnectionsPerPort();
        if (byId.size() >= maxConnections) {
            HOST_LOG.log(System.Logger.Level.WARNING, "{0}: rejecting a connection from {1}: {2} queues open (max_connections_per_port)",
                    port, id.peerAddress(), byId.size());
            id.reject(RdmaCmPrivateData.reject(RdmaCmPrivateData.NO_RSC));
            id.close();
            return;
        }
        int entries = request.queueEntries();
        // CRQSIZE: the receives this queue has; without the SRQ a bounded share of the pool
        int receives = resources.sharesReceiveQueue() ? entries : resources.receivesGranted(entries);
        QueuePair qp;
        try {
            NvmfSrq offloadSrq = request.qid() == 0 ? null : offloadSrqFor(request.cntlid(), id.peerAddress());
            // an offloaded subsystem's I/O queue receives on its offload SRQ, into that SRQ's CQ
            OffloadReceiveQueue offloadReceives = offloadSrq == null ? null : resources.offloadReceives(offloadSrq);
            QpInitAttributes attrs = QpInitAttributes.reliableConnected(resources.cq,
                            offloadReceives == null ? resources.cq : offloadReceives.cq)
                    .maxSendWr(2 * entries + 4).maxSendSge(1).maxRecvSge(1);
            qp = id.createQueuePair(resources.pd, offloadSrq != null ? attrs.sharedReceiveQueue(offloadSrq.receiveQueue())
                    : resources.sharesReceiveQueue() ? attrs.sharedReceiveQueue(resources.srq) : attrs.maxRecvWr(receives));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "{0}: no QP for {1}: {2}", port, id.peerAddress(), e.getMessage());
            id.reject(RdmaCmPrivateData.reject(RdmaCmPrivateData.NO_RSC));
            id.close();
            return;
        }
        // Without the SRQ the host's first command must find a receive posted: before accept.
        if (!resources.sharesReceiveQueue() && !resources.attachReceives(qp, receives)) {
            HOST_LOG.log(System.Logger.Level.WARNING, "{0}: no run of {1} free receive buffers left for {2} (pool of {3}); rejected",
                    port, receives, id.peerAddress(), resources.receiveCount);
            id.reject(RdmaCmPrivateData.reject(RdmaCmPrivateData.NO_RSC));
            qp.close();
            id.close();
            return;
        }
        RdmaQueue queue = new RdmaQueue(id, qp, resources, request.qid(), entries, offload, posting);
        queue.nvmfQueue = core.openQueue(port, queue);
        byQpNumber.put(qp.qpNumber(), queue);
        byId.put(id, queue);
        // The event speaks from our side already (initiator depth: the READs we may issue to the
        // host), as nvmet uses it; the target fetches write data with RDMA READ, so this matters.
        int responder = Math.min(event.responderResources(), 16);
        int initiator = Math.min(event.initiatorDepth(), 16);
        try {
            id.accept(ConnectionParameters.defaults().withReadDepth(responder, initiator)
                    .withPrivateData(RdmaCmPrivateData.accept(receives)));
        } catch (RuntimeException e) {
            // the queue pair, its CM id and (without the SRQ) its receive buffers go back
            acceptFailures.increment();
            HOST_LOG.log(System.Logger.Level.WARNING, "{0}: accepting {1} failed: {2}", port, id.peerAddress(), e.getMessage());
            teardown(id, "accept failed");
        }
    }

    /**
     * The offload SRQ an I/O queue's QP is created on: that of the offloaded subsystem of the
     * controller its CM request names (CNTLID, which the NVMe/RDMA binding puts in an I/O queue's
     * request: a controller on this port whose admin queue came from the same host address, as
     * CNTLIDs are per subsystem). A host that leaves CNTLID out (0 or FFFFh) gets the SRQ of the one
     * offloaded subsystem it has controllers of on this port. Null otherwise: the QP receives on the
     * listener's SRQ, and a switch after its CONNECT cannot happen.
     */
    private NvmfSrq offloadSrqFor(int cntlid, InetSocketAddress peer) {
        if (!offload.mayOffload()) {
            return null;
        }
        boolean named = cntlid != 0 && cntlid != 0xFFFF;
        String host = peer.getAddress().getHostAddress();
        List<NvmfSrq> srqs = core.controllers().stream()
                .filter(c -> !c.isDiscovery() && c.port().id() == port.id() && host.equals(c.hostAddress()) && (!named || c.cntlid() == cntlid))
                .map(Controller::subsystemNqn).distinct().map(offload::offloadSrq).filter(java.util.Objects::nonNull).toList();
        if (srqs.size() == 1) {
            return srqs.getFirst();
        }
        // none: a queue of a subsystem not offloaded here, the usual case; several: the host must name its controller
        HOST_LOG.log(srqs.isEmpty() ? System.Logger.Level.DEBUG : System.Logger.Level.INFO,
                "{0}: the I/O queue request from {1} {2}; its QP receives on the port''s shared "
                + "receive queue", port, peer, (named ? "names CNTLID " + cntlid + ", which is " : "names no controller, and it has ")
                + (srqs.isEmpty() ? "no controller of an offloaded subsystem here" : "controllers of " + srqs.size() + " offloaded subsystems here"));
        return null;
    }

    private void teardown(CmId id, String why) {
        RdmaQueue queue = byId.remove(id);
        if (queue == null) {
            return;
        }
        queue.tornDown = true;
        byQpNumber.remove(queue.qp.qpNumber());
        queue.nvmfQueue.closed();
        resources.detachReceives(queue.qp);
        try {
            queue.qp.modifyToError();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: to error: {1}", queue.describe(), e.getMessage());
        }
        // As nvmet (ib_drain_qp): the QP is freed only once every send posted to it has completed,
        // flushed, so each returns its request slot; the poller posts a marker after its own posts.
        // An offloaded QP also waits for QP_LAST_NVME_CQE_REACHED where the device raises it. The
        // offload's drain comes before the marker: a device that lets go of the QP in it has posted its last work ahead.
        CompletableFuture<Void> sendsDone = new CompletableFuture<>();
        sendDrains.put(queue.qp.qpNumber(), sendsDone);
        CompletableFuture<Void> offloadDone = offload.queueClosing(queue.qp);
        drainRequests.add(queue);
        CompletableFuture<Void> drained = CompletableFuture.allOf(sendsDone, offloadDone)
                .orTimeout(60, TimeUnit.SECONDS);
        // close() waits for the QP to be freed, not only drained: the SRQ it receives on goes after it
        CompletableFuture<Void> freed = drained.whenComplete((ok, failure) -> {
            if (failure != null) {
                LOG.log(System.Logger.Level.ERROR, "{0}: the offload never reported its last CQE ({1}); the QP is left allocated "
                        + "rather than freed under the device", queue.describe(), failure.toString());
                return;
            }
            LOG.log(System.Logger.Level.INFO, "{0}: closed ({1})", queue.describe(), why);
            int qpNumber = queue.qp.qpNumber();
            closeQuietly(queue.qp);
            resources.releaseReceives(qpNumber);
            closeQuietly(id);
        });
        synchronized (drains) {
            drains.add(freed);
        }
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "close: {0}", e.getMessage());
        }
    }

    /** Disconnects every queue and waits until each is drained; the poller must still run meanwhile. */
    void close() {
        closing = true;
        for (RdmaQueue q : byId.values()) {
            q.disconnect("the port is closing");
        }
        try {
            cmThread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (CmId id : byId.keySet()) {
            teardown(id, "the port is closing");
        }
        List<CompletableFuture<Void>> pending;
        synchronized (drains) {
            pending = List.copyOf(drains);
        }
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(65, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "{0}: not every queue drained: {1}", port, e.toString());
        }
    }
}
