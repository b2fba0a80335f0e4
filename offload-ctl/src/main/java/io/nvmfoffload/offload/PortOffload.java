package io.nvmfoffload.offload;

import io.nvmfoffload.nvmf.HostLog;
import io.nvmfoffload.nvmf.Port;
import io.nvmfoffload.nvmf.SubsystemOffload;
import io.nvmfoffload.verbs.QueuePair;
import io.nvmfoffload.verbs.WorkCompletions;
import io.nvmfoffload.verbs.nvmf.IoQueueAttributes;
import io.nvmfoffload.verbs.nvmf.NvmfDatapath;
import io.nvmfoffload.verbs.nvmf.NvmfEvent;
import io.nvmfoffload.verbs.nvmf.NvmfEventListener;
import io.nvmfoffload.verbs.nvmf.NvmfEventType;
import io.nvmfoffload.verbs.nvmf.NvmfOffload;
import io.nvmfoffload.verbs.nvmf.NvmfOffloadException;
import io.nvmfoffload.verbs.nvmf.NvmfSrq;

import java.lang.foreign.MemorySegment;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * What the RDMA transport of one port asks of the offload: the engine's datapath hooks, switching an
 * I/O queue to offload after its CONNECT, and draining it before its QP is freed. It also handles
 * the offload's events: release after a backend PCI error, recreation after a timeout, and a
 * disconnect of a queue whose QP the device found in a fatal error.
 */
public final class PortOffload implements NvmfEventListener, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PortOffload.class.getName());
    /** Failed switches are caused by hosts' CM requests: rate-limited. */
    private static final HostLog SWITCH_LOG = new HostLog(LOG);

    /** Disconnects the queue whose QP has {@code qpNumber}; the transport's, so that the offload names no transport. */
    @FunctionalInterface
    public interface QueueDisconnect {
        void disconnect(int qpNumber, String why);
    }

    /** A port with no offloaded subsystem: nothing is ever offloaded, every hook is a no-op. */
    public static PortOffload none(Port port) {
        return new PortOffload(port, null, Map.of(), null, null, null);
    }

    /**
     * Builds the offload context of a subsystem that was linked to the port after its listener
     * started (a configuration applied to a running target): null if it is not offloaded.
     */
    @FunctionalInterface
    interface LateContexts {
        SubsystemOffloadContext create(String subsystemNqn);
    }

    private final Port port;
    private volatile NvmfOffload offload;
    private final Map<String, SubsystemOffloadContext> contexts = new ConcurrentHashMap<>();
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    private final LateContexts late;
    private volatile BackendNvmeDevice[] devices = new BackendNvmeDevice[0];
    private final OffloadEventLog events;
    private final OffloadedQueues queues = new OffloadedQueues();
    private final Consumer<String> notifyHosts;

    PortOffload(Port port, NvmfOffload offload, Map<String, SubsystemOffloadContext> contexts, OffloadEventLog events,
                Consumer<String> notifyHosts, LateContexts late) {
        this.port = port;
        this.offload = offload;
        this.contexts.putAll(contexts);
        this.late = late;
        this.devices = contexts.values().stream().map(SubsystemOffloadContext::device).toArray(BackendNvmeDevice[]::new);
        this.events = events;
        this.notifyHosts = notifyHosts;
        if (offload != null) {
            offload.addEventListener(this);
        }
    }

    /**
     * The offload's datapath, plus a step of each backend device after the engine's own progress
     * while the engine has commands at the backends.
     * It follows offload contexts created after the transport took it.
     */
    public NvmfDatapath datapath() {
        if (offload == null && late == null) {
            return NvmfDatapath.NONE;
        }
        return new NvmfDatapath() {
            private NvmfDatapath engine() {
                NvmfOffload o = offload;
                return o == null ? NvmfDatapath.NONE : o.datapath();
            }

            @Override
            public boolean offerCapsule(QueuePair qp, MemorySegment buffer, long offset, int length) {
                return engine().offerCapsule(qp, buffer, offset, length);
            }

            @Override
            public void onCompletion(WorkCompletions completions, int index) {
                engine().onCompletion(completions, index);
            }

            @Override
            public boolean readyToSleep() {
                return engine().readyToSleep();
            }

            @Override
            public void endOfPass() {
                engine().endOfPass();
            }

            @Override
            public int progress() {
                NvmfDatapath engine = engine();
                BackendNvmeDevice[] devices = PortOffload.this.devices;
                int n = engine.progress();
                if (!engine.hasCommandsAtBackends()) {
                    return n;
                }
                int executed = 0;
                for (BackendNvmeDevice d : devices) {
                    executed += d.pump();
                }
                // Reap what the devices just completed in the same pass rather than on the next one.
                return executed == 0 ? n : n + executed + engine.progress();
            }
        };
    }

    Port port() {
        return port;
    }

    /** The provider's name, "none" when nothing on this port is offloaded. */
    public String providerName() {
        return offload == null ? "none" : offload.providerName();
    }

    /** What became of an I/O queue after its CONNECT. */
    public enum Switch {
        /** The QP is switched: the offload executes what it can of the queue's capsules. */
        OFFLOADED,
        /** Software serves the queue: its subsystem is not offloaded here, or a failed switch falls back by configuration. */
        SOFTWARE,
        /** The switch failed and the subsystem's offload wants the CONNECT failed. */
        FAILED
    }

    /** The offload SRQs of the subsystems offloaded on this port now (one per subsystem). */
    public List<NvmfSrq> offloadSrqs() {
        return contexts.values().stream().map(SubsystemOffloadContext::srq).toList();
    }

    /** Whether a queue pair of this port may ever be offloaded (some subsystem on it is, or may be linked later). */
    public boolean mayOffload() {
        return offload != null || late != null;
    }

    /**
     * The offload SRQ of {@code subsystemNqn} on this port, on which its I/O queue pairs are created:
     * null where the subsystem is not offloaded here (its context is made now if it was linked late).
     */
    public NvmfSrq offloadSrq(String subsystemNqn) {
        SubsystemOffloadContext ctx = contexts.get(subsystemNqn);
        if (ctx == null) {
            ctx = createLate(subsystemNqn);
        }
        return ctx == null ? null : ctx.srq();
    }

    /**
     * An I/O queue of {@code subsystemNqn} finished CONNECT on {@code qp}: switch it to offload if
     * the subsystem is offloaded here. The admin queue is never switched (it has no {@link IoQueueAttributes}). A QP
     * that is not on the subsystem's offload SRQ, or that the device refuses, is a failed switch,
     * logged and recorded as QUEUE_SWITCH_FAILED, answered as the subsystem's offload says.
     */
    public Switch queueConnected(QueuePair qp, String subsystemNqn, IoQueueAttributes queue) {
        SubsystemOffloadContext ctx = contexts.get(subsystemNqn);
        if (ctx == null) {
            ctx = createLate(subsystemNqn);
            if (ctx == null) {
                return Switch.SOFTWARE;
            }
        }
        String failure;
        if (qp.sharedReceiveQueue() != ctx.srq().receiveQueue()) {
            failure = "QP " + qp.qpNumber() + " does not receive on the offload SRQ of " + subsystemNqn
                    + ": its CM request did not name one of the subsystem's controllers (CNTLID) from this host";
        } else {
            try {
                offload.enableOffload(qp, ctx.srq(), queue);
                queues.connected(qp.qpNumber(), subsystemNqn);
                LOG.log(System.Logger.Level.DEBUG, "QP {0} (qid {1} of {2}) offloaded", qp.qpNumber(), queue.qid(), subsystemNqn);
                return Switch.OFFLOADED;
            } catch (NvmfOffloadException e) {
                failure = e.getMessage();
            }
        }
        boolean software = ctx.settings.onSwitchFailure() == SubsystemOffload.SwitchFailure.SOFTWARE;
        String outcome = software ? "the software path serves it (switch_failure software)" : "its CONNECT fails with Internal Error";
        SWITCH_LOG.log(System.Logger.Level.WARNING, "port {0}: qid {1} of {2} not switched to offload: {3}; {4}", port.id(), queue.qid(),
                subsystemNqn, failure, outcome);
        record("QUEUE_SWITCH_FAILED", ctx, 0, "qid " + queue.qid() + ": " + failure + "; " + outcome);
        return software ? Switch.SOFTWARE : Switch.FAILED;
    }

    /**
     * The queue's QP is in ERROR and about to be freed: completes when the device says its last
     * offloaded command is done (QP_LAST_NVME_CQE_REACHED). A device whose capabilities lack that
     * event lets go of the QP during the drain, so then it completes once the drain returned; the
     * transport still frees the QP only after its send queue is drained. At once for a QP that
     * was never offloaded.
     */
    public CompletableFuture<Void> queueClosing(QueuePair qp) {
        return queues.closing(qp.qpNumber(), offload != null && offload.capabilities().qpLastNvmeCqeReached(),
                () -> offload.drain(qp));
    }

    /**
     * Who disconnects a queue whose QP the device reports in a fatal error (QP_FATAL): the
     * transport registers it. Until then such a queue is only logged.
     */
    public void onQueueFatal(QueueDisconnect disconnect) {
        queues.onFatal(disconnect);
    }

    private synchronized SubsystemOffloadContext createLate(String nqn) {
        SubsystemOffloadContext ctx = contexts.get(nqn);
        if (ctx != null || late == null || refused.contains(nqn)) {
            return ctx;
        }
        try {
            ctx = late.create(nqn);
        } catch (RuntimeException e) {
            refused.add(nqn);
            LOG.log(System.Logger.Level.WARNING, "port {0}: offload of {1} refused, the software path serves it: {2}", port.id(), nqn,
                    e.getMessage());
            events.record(new OffloadEvent(Instant.now(), "OFFLOAD_REFUSED", offload == null ? "none" : offload.providerName(),
                    port.id(), nqn, 0, e.getMessage()));
            return null;
        }
        if (ctx == null) {
            return null;
        }
        if (offload == null) {
            ctx.offload().addEventListener(this);
            offload = ctx.offload();
        }
        contexts.put(nqn, ctx);
        devices = contexts.values().stream().map(SubsystemOffloadContext::device).toArray(BackendNvmeDevice[]::new);
        return ctx;
    }

    /** Offloaded I/O queues on this port now. */
    public int offloadedQueues() {
        return queues.size();
    }

    List<SubsystemOffloadContext> contexts() {
        return List.copyOf(contexts.values());
    }

    @Override
    public void onNvmfEvent(NvmfEvent event) {
        switch (event.type()) {
            case QP_LAST_NVME_CQE_REACHED -> queues.lastCqeReached(event.queuePair().qpNumber());
            case QP_FATAL -> queueFatal(event.queuePair().qpNumber(), event.detail());
            case NVME_PCI_ERR, NVME_TIMEOUT -> backendFailed(event);
        }
    }

    /** QP_FATAL: the queue is disconnected (its QP is in ERROR already) and the event logged; other ports' QPs are not ours. */
    private void queueFatal(int qpNumber, String detail) {
        String nqn = queues.fatal(qpNumber, "QP error on the offload SRQ: " + detail);
        if (nqn != null) {
            events.record(new OffloadEvent(Instant.now(), NvmfEventType.QP_FATAL.name(), offload.providerName(), port.id(), nqn, 0,
                    "QP " + qpNumber + ": " + detail + "; the queue is disconnected"));
        }
    }

    /** NVME_PCI_ERR or NVME_TIMEOUT of a backend controller, if it is one of this port's. */
    private void backendFailed(NvmfEvent event) {
        for (SubsystemOffloadContext ctx : contexts.values()) {
            SubsystemOffloadContext.NamespaceBackend nb = ctx.owning(event.controller());
            if (nb == null) {
                continue;
            }
            record(event.type().name(), ctx, nb.nsid, "backend controller " + event.controller().id() + ": " + event.detail());
            if (event.type() == NvmfEventType.NVME_PCI_ERR) {
                ctx.releaseAfterPciError(nb, event.detail());
                record("SOFTWARE_FALLBACK", ctx, nb.nsid, "backend released without destroying its queues; "
                        + "the software path serves the namespace from the same store");
            } else {
                String what = ctx.recreateAfterTimeout(nb);
                record(nb.controller != null ? "BACKEND_RECREATED" : "SOFTWARE_FALLBACK", ctx, nb.nsid, what);
            }
            notifyHosts.accept(ctx.subsystem.nqn());
            return;
        }
    }

    /**
     * An operator's word that the backend device of {@code ctx} is repaired: resets it and puts its
     * namespaces back on offload (see {@link SubsystemOffloadContext#recoverAfterPciError}), logged
     * as BACKEND_RECOVERED per namespace (SOFTWARE_FALLBACK where one could not be mapped again).
     */
    List<BackendRecovery> recoverAfterPciError(SubsystemOffloadContext ctx) {
        List<BackendRecovery> outcome;
        try {
            outcome = ctx.recoverAfterPciError();
        } catch (IllegalStateException e) {
            record("RECOVERY_FAILED", ctx, 0, e.getMessage());
            throw e;
        }
        outcome.forEach(r -> record(r.offloaded() ? "BACKEND_RECOVERED" : "SOFTWARE_FALLBACK", ctx, r.nsid(), r.detail()));
        notifyHosts.accept(ctx.subsystem.nqn());
        return outcome;
    }

    private void record(String kind, SubsystemOffloadContext ctx, int nsid, String detail) {
        events.record(new OffloadEvent(Instant.now(), kind, offload.providerName(), port.id(), ctx.subsystem.nqn(), nsid, detail));
    }

    /** Tears the offload contexts down; the transport has drained and freed every offloaded QP before. */
    @Override
    public void close() {
        if (offload == null) {
            return;
        }
        offload.removeEventListener(this);
        for (SubsystemOffloadContext ctx : contexts.values()) {
            try {
                ctx.close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "closing " + ctx + " failed", e);
            }
        }
    }
}
