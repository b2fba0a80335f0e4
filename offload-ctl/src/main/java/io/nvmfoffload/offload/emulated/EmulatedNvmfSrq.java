package io.nvmfoffload.offload.emulated;

import io.nvmfoffload.nvme.spec.CompletionQueueEntry;
import io.nvmfoffload.nvme.spec.SubmissionQueueEntry;
import io.nvmfoffload.verbs.Errno;
import io.nvmfoffload.verbs.MemoryRegion;
import io.nvmfoffload.verbs.ProtectionDomain;
import io.nvmfoffload.verbs.SharedReceiveQueue;
import io.nvmfoffload.verbs.nvmf.BackendController;
import io.nvmfoffload.verbs.nvmf.BackendControllerAttributes;
import io.nvmfoffload.verbs.nvmf.NamespaceMapping;
import io.nvmfoffload.verbs.nvmf.NvmfCapabilities;
import io.nvmfoffload.verbs.nvmf.NvmfOffloadException;
import io.nvmfoffload.verbs.nvmf.NvmfSrq;
import io.nvmfoffload.verbs.nvmf.NvmfSrqAttributes;
import io.nvmfoffload.verbs.nvmf.OffloadContextCounters;
import io.nvmfoffload.verbs.nvmf.OffloadNamespaceCounters;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * One emulated offload context (the NVMf offload SRQ of the RFC): its backend controllers, the
 * front-end namespaces mapped to them, its counters, and the engine's parts that serve its
 * capsules: the {@link StagingSlots} of its staging buffer, the {@link CapsuleClassifier}, and the
 * {@link OffloadCommandFlow} with its {@link BackendWatchdog}. Everything here runs under this
 * object's lock; the engine's entry points ({@link OffloadEngine}) take it around {@link #flow}.
 */
final class EmulatedNvmfSrq implements NvmfSrq {
    /** The backend NVMe page size of page-size log2 0. */
    private static final int PAGE = 4096;

    final int id;
    private final EmulatedNvmfOffload offload;
    private final NvmfSrqAttributes attributes;
    /** The slots' SQE copies and responses and the back-pressure ring; closed last. */
    private final Arena arena = Arena.ofShared();
    private final StagingSlots slots;
    private final NamespaceRoutes routes;
    private final BackendControllers controllers = new BackendControllers();
    private final CapsuleClassifier classifier;
    private final HostTransfers transfers;
    /** The engine's work on this context's capsules; guarded by this object's lock. */
    final OffloadCommandFlow flow;
    final List<QpAttachment> attachments = new ArrayList<>();
    /** The verbs SRQ the subsystem's I/O queue pairs receive on; closed after the engine's parts. */
    private final SharedReceiveQueue receiveQueue;
    private boolean closed;

    /** Makes a context's RDMA work toward hosts once its staging slots exist. */
    interface TransfersFactory {
        HostTransfers create(EmulatedNvmfSrq srq, StagingSlots slots);
    }

    EmulatedNvmfSrq(int id, EmulatedNvmfOffload offload, ProtectionDomain pd, NvmfSrqAttributes attributes) {
        this(id, offload, attributes, pd.context().queryDevice().canSendWithInvalidate(),
                (srq, slots) -> new RdmaHostTransfers(id, srq, slots, attributes.stagingBuffer().memoryRegion(), pd),
                () -> pd.createSharedReceiveQueue(attributes.srqMaxWr(), attributes.srqMaxSge(), 0));
    }


    /**
     * With what comes from the device and its QPs given: whether it sends with invalidate, and the
     * RDMA work toward hosts (host tests record that work instead of posting it).
     */
    /** @param receiveQueueFactory makes the verbs SRQ (null from a test's factory: no device behind it) */
    EmulatedNvmfSrq(int id, EmulatedNvmfOffload offload, NvmfSrqAttributes attributes, boolean remoteInvalidate,
                    TransfersFactory transfersFactory, java.util.function.Supplier<SharedReceiveQueue> receiveQueueFactory) {
        this.id = id;
        this.offload = offload;
        this.attributes = attributes;
        MemoryRegion stagingMr = attributes.stagingBuffer().memoryRegion();
        MemorySegment staging = MemorySegment.ofAddress(attributes.stagingBuffer().address())
                .reinterpret(attributes.stagingBuffer().length());
        receiveQueue = receiveQueueFactory.get();
        try {
            slots = new StagingSlots(staging, attributes.stagingBuffer().address() - stagingMr.address(), attributes.maxIoSize(),
                    PAGE << attributes.nvmePageSizeLog2(), arena);
            routes = new NamespaceRoutes(id, attributes.maxNamespaces(), offload.capabilities().maxFrontendNsid(),
                    offload.capabilities().lbaDataSizes());
            classifier = new CapsuleClassifier(routes, attributes.ops(), attributes.maxIoSize());
            int capsuleSize = Math.max(SubmissionQueueEntry.SIZE, attributes.ioccsz() * 16);
            PendingCapsules pending = new PendingCapsules(arena, Math.max(16, attributes.srqMaxWr()), capsuleSize);
            transfers = transfersFactory.create(this, slots);
            flow = new OffloadCommandFlow(slots, routes, controllers, classifier, pending, transfers, offload, remoteInvalidate,
                    attributes.passthroughSqeRw());
        } catch (RuntimeException e) {
            if (receiveQueue != null) {
                receiveQueue.close();
            }
            arena.close();
            throw e;
        }
    }

    @Override
    public SharedReceiveQueue receiveQueue() {
        return receiveQueue;
    }

    @Override
    public NvmfSrqAttributes attributes() {
        return attributes;
    }

    int slotCount() {
        return slots.count();
    }

    @Override
    public BackendController createBackendController(BackendControllerAttributes a) {
        synchronized (this) {
            requireOpen("ibv_srq_create_nvme_ctrl");
            var caps = offload.capabilities();
            if (controllers.size() >= caps.maxSrqBackendCtrls()) {
                // EINVAL, as the vendor kernel's nvmet_rdma_create_be_ctrl at an XRQ's max_be_ctrl: the caller had the caps
                throw error("ibv_srq_create_nvme_ctrl", Errno.EINVAL, "SRQ " + id + " already has " + controllers.size()
                        + " backend controllers, the max_srq_backend_ctrls of the device");
            }
            long entries = Math.min(a.sqBuffer().length() / SubmissionQueueEntry.SIZE, a.cqBuffer().length() / CompletionQueueEntry.SIZE);
            if (entries < attributes.queueDepth()) {
                throw error("ibv_srq_create_nvme_ctrl", Errno.EINVAL, "backend queues of " + entries
                        + " entries are shallower than the offload queue depth " + attributes.queueDepth());
            }
            if (a.sqTailInitial() < 0 || a.sqTailInitial() >= entries || a.cqHeadInitial() < 0 || a.cqHeadInitial() >= entries) {
                throw error("ibv_srq_create_nvme_ctrl", Errno.EINVAL, "initial doorbell values SQ tail " + a.sqTailInitial()
                        + " / CQ head " + a.cqHeadInitial() + " are outside the " + entries + "-entry queues");
            }
            if (!caps.acceptsCommandTimeoutUs(a.commandTimeoutUs())) {
                throw error("ibv_srq_create_nvme_ctrl", Errno.EINVAL, "command timeout " + a.commandTimeoutUs()
                        + " us is outside min_command_timeout_us " + caps.minCommandTimeoutUs() + " .. max_command_timeout_us "
                        + caps.maxCommandTimeoutUs() + " (0: no bound)");
            }
            long timeoutUs = a.commandTimeoutUs() != 0 ? a.commandTimeoutUs() : deviceDefaultTimeoutUs(caps);
            int ctrlId = offload.reserveBackendController();
            EmulatedBackendController c = new EmulatedBackendController(ctrlId, this, a, EmulatedBackendController.Rings.of(a),
                    timeoutUs * 1000, slots.count());
            controllers.add(c);
            return c;
        }
    }

    /**
     * The command timeout of a controller created with 0: the emulated device's own default, the
     * shipped 30 s within whichever bounds its profile states.
     */
    private static long deviceDefaultTimeoutUs(NvmfCapabilities caps) {
        long t = NvmfCapabilities.DEFAULT_COMMAND_TIMEOUT_US;
        if (caps.minCommandTimeoutUs() > 0) {
            t = Math.max(t, caps.minCommandTimeoutUs());
        }
        return caps.maxCommandTimeoutUs() > 0 ? Math.min(t, caps.maxCommandTimeoutUs()) : t;
    }

    @Override
    public synchronized List<BackendController> backendControllers() {
        return controllers.copy();
    }

    synchronized void map(EmulatedBackendController c, NamespaceMapping m) {
        requireOpen("ibv_map_nvmf_nsid");
        routes.map(c, m);
    }

    synchronized void unmap(EmulatedBackendController c, int nsid) {
        routes.unmap(c, nsid);
    }

    synchronized List<NamespaceMapping> namespacesOf(EmulatedBackendController c) {
        return List.copyOf(c.mappings);
    }

    synchronized OffloadNamespaceCounters counters(EmulatedBackendController c, int nsid) {
        return routes.counters(c, nsid);
    }

    @Override
    public synchronized OffloadContextCounters counters() {
        return new OffloadContextCounters(routes.totals(), classifier.unknownNamespaceCommands(), flow.lastReadLatency100ns(),
                flow.lastWriteLatency100ns(), flow.queueDepth(), flow.remoteInvalidations());
    }

    /**
     * Releases a backend controller (ibv_srq_remove_nvme_ctrl): answers what it still had with a
     * retryable status and unmaps its namespaces. The slots of the commands it held stay
     * quarantined until its queues are destroyed, which after a PCI error may be never.
     */
    synchronized void removeController(EmulatedBackendController c) {
        if (c.state() == EmulatedBackendController.State.CLOSED) {
            return;
        }
        if (c.state() == EmulatedBackendController.State.ACTIVE) {
            flow.answerCommandsOf(c);
        }
        for (NamespaceMapping m : List.copyOf(c.mappings)) {
            routes.unmap(c, m.frontendNsid());
        }
        c.moveTo(EmulatedBackendController.State.CLOSED);
        flow.releaseQuarantined();
        controllers.remove(c);
        offload.releaseBackendController();
    }

    private void requireOpen(String verb) {
        if (closed) {
            throw error(verb, Errno.EINVAL, "SRQ " + id + " is closed");
        }
    }

    private NvmfOffloadException error(String verb, Errno errno, String detail) {
        return new NvmfOffloadException(verb, errno, EmulatedNvmfOffloadProvider.NAME, detail);
    }

    /** Destroys the SRQ (ibv_destroy_srq): EBUSY while it has backend controllers or attached QPs. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (controllers.size() > 0) {
                throw error("ibv_destroy_srq", Errno.EBUSY, "SRQ " + id + " still has " + controllers.size()
                        + " backend controller(s); close them first");
            }
            if (!attachments.isEmpty()) {
                throw error("ibv_destroy_srq", Errno.EBUSY, "SRQ " + id + " still has " + attachments.size()
                        + " attached QP(s); drain them first");
            }
            closed = true;
            flow.close();
        }
        offload.srqClosed(this);
        transfers.close();
        if (receiveQueue != null) {
            receiveQueue.close();
        }
        arena.close();
    }
}
