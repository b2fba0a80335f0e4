package io.nvmfoffload.nvmf.transport.rdma;

import io.nvmfoffload.offload.OffloadManager;
import io.nvmfoffload.offload.PortOffload;
import io.nvmfoffload.nvmf.Port;
import io.nvmfoffload.nvmf.TransportType;
import io.nvmfoffload.nvmf.core.TargetCore;
import io.nvmfoffload.nvmf.transport.PortListener;
import io.nvmfoffload.nvmf.transport.buffer.DataBufferUse;
import io.nvmfoffload.verbs.cm.CmEventChannel;
import io.nvmfoffload.verbs.cm.CmId;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * An NVMe-oF/RDMA listener on one port: it makes the port's device resources ({@link RdmaResources}:
 * every QP shares one SRQ and one CQ, or on a device without SRQs each QP has a receive queue of its
 * own, fed from the listener's pool), opens the port's offload, and starts the two threads that
 * serve it: rdma_cm accepts queue pairs ({@link RdmaConnectionManager}, which checks the NVMe-oF
 * private data and the port's limits) and one poller runs their commands ({@link RdmaPoller}). When
 * the port's subsystems are offloaded, I/O queues are switched to offload after CONNECT and every
 * capsule of theirs is first offered to the offload's datapath (which, for a NIC, never shows them
 * to software at all). It answers status and closes it all in dependency order.
 */
public final class RdmaTransport implements PortListener {
    private static final System.Logger LOG = System.getLogger(RdmaTransport.class.getName());

    private final Port port;
    private final RdmaTransportOptions options;
    private final CmEventChannel channel;
    private final CmId listener;
    private final RdmaResources resources;
    private final PortOffload offload;
    /** The target's offload control path, or null for a software-only port. */
    private final OffloadManager offloads;
    private final SendPosting posting;
    private final RdmaConnectionManager connections;
    private final RdmaPoller poller;

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
        try {
            // each offload SRQ gets its receive buffers and CQ now, as nvmet-rdma posts an XRQ's at its creation;
            // a subsystem linked later gets them with its first queue pair
            offload.offloadSrqs().forEach(resources::offloadReceives);
        } catch (RuntimeException e) {
            closeQuietly(offload);
            if (offloads != null) {
                offloads.portClosed(offload);
            }
            closeQuietly(listener);
            closeQuietly(resources);
            channel.close();
            throw e;
        }
        posting = new SendPosting("nvmf-rdma-post-" + port.id(), resources.slots,
                slot -> resources.releaseSlotAndDisconnect(slot, "posting to the send queue failed: " + slot.postFailure), options);
        connections = new RdmaConnectionManager(core, port, channel, resources, offload, posting);
        poller = new RdmaPoller(port, resources, connections, posting, offload.datapath());
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
        return poller.peakPendingReceives();
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
        return resources.buffers.use(poller.peakBufferWaits());
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

    @Override
    public void close() {
        // The poller keeps running until torn-down queues are drained: their last completions come through it.
        connections.close();
        closeQuietly(poller);
        closeQuietly(posting);
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
