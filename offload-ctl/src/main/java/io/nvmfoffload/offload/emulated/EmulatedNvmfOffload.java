package io.nvmfoffload.offload.emulated;

import io.nvmfoffload.verbs.DeviceContext;
import io.nvmfoffload.verbs.Errno;
import io.nvmfoffload.verbs.ProtectionDomain;
import io.nvmfoffload.verbs.QueuePair;
import io.nvmfoffload.verbs.nvmf.BackendController;
import io.nvmfoffload.verbs.nvmf.IoQueueAttributes;
import io.nvmfoffload.verbs.nvmf.NvmfCapabilities;
import io.nvmfoffload.verbs.nvmf.NvmfDatapath;
import io.nvmfoffload.verbs.nvmf.NvmfEvent;
import io.nvmfoffload.verbs.nvmf.NvmfEventDispatcher;
import io.nvmfoffload.verbs.nvmf.NvmfEventListener;
import io.nvmfoffload.verbs.nvmf.NvmfEventType;
import io.nvmfoffload.verbs.nvmf.NvmfOffload;
import io.nvmfoffload.verbs.nvmf.NvmfOffloadException;
import io.nvmfoffload.verbs.nvmf.NvmfSrq;
import io.nvmfoffload.verbs.nvmf.NvmfSrqAttributes;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The emulated provider's offload of one device: capabilities from a device profile, the limits
 * the shipped stack enforces with its errnos, and the engine in the software's receive path.
 */
final class EmulatedNvmfOffload implements NvmfOffload, EngineEvents {
    private static final String PROVIDER = EmulatedNvmfOffloadProvider.NAME;

    private final DeviceContext context;
    private final String profileName;
    private final NvmfCapabilities caps;
    private final NvmfEventDispatcher events;
    private final OffloadEngine engine = new OffloadEngine();
    private final List<EmulatedNvmfSrq> srqs = new ArrayList<>();
    private final AtomicInteger nextSrqId = new AtomicInteger(1);
    private final AtomicInteger nextControllerId = new AtomicInteger(1);
    private int backendControllers;
    private boolean closed;

    EmulatedNvmfOffload(DeviceContext context, String profileName, NvmfCapabilities caps) {
        this.context = context;
        this.profileName = profileName;
        this.caps = caps;
        this.events = new NvmfEventDispatcher("nvmf-emulated-events-" + context.name());
    }

    @Override
    public String providerName() {
        return PROVIDER;
    }

    /** The device profile the capabilities come from, for display next to the provider name. */
    String profileName() {
        return profileName;
    }

    @Override
    public DeviceContext context() {
        return context;
    }

    @Override
    public NvmfCapabilities capabilities() {
        return caps;
    }

    @Override
    public NvmfSrq createSrq(ProtectionDomain pd, NvmfSrqAttributes attributes) {
        if (pd.context() != context) {
            throw new NvmfOffloadException("ibv_create_srq_ex", Errno.EINVAL, PROVIDER,
                    "the protection domain belongs to " + pd.context().name() + ", not " + context.name());
        }
        List<String> problems = attributes.violationsOf(caps);
        if (!problems.isEmpty()) {
            throw new NvmfOffloadException("ibv_create_srq_ex", Errno.EINVAL, PROVIDER,
                    "device " + context.name() + " (profile " + profileName + "): " + String.join("; ", problems));
        }
        synchronized (this) {
            if (closed) {
                throw new NvmfOffloadException("ibv_create_srq_ex", Errno.EINVAL, PROVIDER, "the offload of " + context.name() + " is closed");
            }
            EmulatedNvmfSrq srq = new EmulatedNvmfSrq(nextSrqId.getAndIncrement(), this, pd, attributes);
            srqs.add(srq);
            engine.add(srq);
            return srq;
        }
    }

    @Override
    public void enableOffload(QueuePair qp, NvmfSrq srq, IoQueueAttributes queue) {
        if (!(srq instanceof EmulatedNvmfSrq e) || !srqs.contains(e)) {
            throw new NvmfOffloadException("ibv_qp_set_nvmf", Errno.EINVAL, PROVIDER, "the SRQ is not an offload SRQ of " + context.name());
        }
        if (qp.context() != context) {
            throw new NvmfOffloadException("ibv_qp_set_nvmf", Errno.EINVAL, PROVIDER, "QP " + qp.qpNumber() + " is on another device");
        }
        if (qp.sharedReceiveQueue() != e.receiveQueue()) {
            throw new NvmfOffloadException("ibv_qp_set_nvmf", Errno.EINVAL, PROVIDER, "QP " + qp.qpNumber()
                    + " does not receive on the offload SRQ; create it on NvmfSrq.receiveQueue()");
        }
        if (engine.attachment(qp.qpNumber()) != null) {
            throw new NvmfOffloadException("ibv_qp_set_nvmf", Errno.EBUSY, PROVIDER, "QP " + qp.qpNumber() + " is already offloaded");
        }
        if (queue == null) {
            throw new NvmfOffloadException("ibv_qp_set_nvmf", Errno.EINVAL, PROVIDER, "QP " + qp.qpNumber()
                    + ": no I/O queue given; admin queues are never offloaded");
        }
        engine.attach(new QpAttachment(qp, e, queue));
    }

    @Override
    public void drain(QueuePair qp) {
        QpAttachment att = engine.attachment(qp.qpNumber());
        if (att == null) {
            throw new NvmfOffloadException("ibv_qp_set_nvmf", Errno.ENOENT, PROVIDER, "QP " + qp.qpNumber() + " is not offloaded");
        }
        if (!caps.qpLastNvmeCqeReached()) {
            // no event to wait for: the device lets go of the QP before the drain returns
            engine.release(att);
        } else if (engine.detach(att)) {
            lastCqeReached(att);
        }
    }

    @Override
    public NvmfDatapath datapath() {
        return engine;
    }

    @Override
    public void addEventListener(NvmfEventListener listener) {
        events.add(listener);
    }

    @Override
    public void removeEventListener(NvmfEventListener listener) {
        events.remove(listener);
    }

    int attachedQueuePairs() {
        return engine.attachedCount();
    }

    // --- for the contexts ---

    /**
     * Counts a new backend controller against the device's max_backend_ctrls_total. Past it the
     * answer is ENOSPC, not the EINVAL of an SRQ's own limit: the request is valid, and what ran out
     * is the device's room, which the controllers of other SRQs hold (the vendor kernel has no such
     * total to mirror).
     */
    synchronized int reserveBackendController() {
        if (backendControllers >= caps.maxBackendCtrlsTotal()) {
            throw new NvmfOffloadException("ibv_srq_create_nvme_ctrl", Errno.ENOSPC, PROVIDER, "device " + context.name()
                    + " already drives " + backendControllers + " backend controllers, its max_backend_ctrls_total");
        }
        backendControllers++;
        return nextControllerId.getAndIncrement();
    }

    synchronized void releaseBackendController() {
        backendControllers--;
    }

    synchronized void srqClosed(EmulatedNvmfSrq srq) {
        srqs.remove(srq);
        engine.remove(srq);
    }

    @Override
    public void raise(NvmfEventType type, BackendController controller, String detail) {
        events.dispatch(new NvmfEvent(type, controller, null, detail));
    }

    @Override
    public void qpFatal(QpAttachment att, String why) {
        events.dispatch(new NvmfEvent(NvmfEventType.QP_FATAL, null, att.qp, att + ": " + why));
    }

    @Override
    public void lastCqeReached(QpAttachment att) {
        events.dispatch(new NvmfEvent(NvmfEventType.QP_LAST_NVME_CQE_REACHED, null, att.qp,
                "QP " + att.qp.qpNumber() + " has no offloaded command left"));
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (!srqs.isEmpty()) {
                throw new NvmfOffloadException("close", Errno.EBUSY, PROVIDER, srqs.size() + " offload SRQ(s) of " + context.name()
                        + " are still open; close them first");
            }
            closed = true;
        }
        events.close();
    }

    @Override
    public String toString() {
        return "NVMf offload of " + context.name() + " by provider '" + PROVIDER + "' (profile " + profileName + ")";
    }
}
