package io.nvmfoffload.offload;

import io.nvmfoffload.target.Port;
import io.nvmfoffload.verbs.QueuePair;
import io.nvmfoffload.verbs.WorkCompletions;
import io.nvmfoffload.verbs.nvmf.NvmfDatapath;
import io.nvmfoffload.verbs.nvmf.NvmfEvent;
import io.nvmfoffload.verbs.nvmf.NvmfEventListener;
import io.nvmfoffload.verbs.nvmf.NvmfEventType;
import io.nvmfoffload.verbs.nvmf.NvmfOffload;

import java.lang.foreign.MemorySegment;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * What the RDMA transport of one port asks of the offload: the engine's datapath hooks, switching an
 * I/O queue to offload after its CONNECT, and draining it before its QP is freed. It also handles
 * the backend events of its subsystems: release after a PCI error, recreation after a timeout.
 */
public final class PortOffload implements NvmfEventListener, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PortOffload.class.getName());

    /** A port with no offloaded subsystem: nothing is ever offloaded, every hook is a no-op. */
    public static PortOffload none(Port port) {
        return new PortOffload(port, null, Map.of(), null, null);
    }

    private final Port port;
    private final NvmfOffload offload;
    private final Map<String, SubsystemOffloadContext> contexts;
    private final OffloadEventLog events;
    private final Map<Integer, CompletableFuture<Void>> draining = new ConcurrentHashMap<>();
    private final Map<Integer, String> offloadedQps = new ConcurrentHashMap<>();
    private final Consumer<String> notifyHosts;

    PortOffload(Port port, NvmfOffload offload, Map<String, SubsystemOffloadContext> contexts, OffloadEventLog events,
                Consumer<String> notifyHosts) {
        this.port = port;
        this.offload = offload;
        this.contexts = Map.copyOf(contexts);
        this.events = events;
        this.notifyHosts = notifyHosts;
        if (offload != null) {
            offload.addEventListener(this);
        }
    }

    /** The offload's datapath, plus a step of each backend device after the engine's own progress. */
    public NvmfDatapath datapath() {
        if (offload == null) {
            return NvmfDatapath.NONE;
        }
        NvmfDatapath engine = offload.datapath();
        BackendNvmeDevice[] devices = contexts.values().stream().map(SubsystemOffloadContext::device).toArray(BackendNvmeDevice[]::new);
        return new NvmfDatapath() {
            @Override
            public boolean offerCapsule(QueuePair qp, MemorySegment buffer, long offset, int length) {
                return engine.offerCapsule(qp, buffer, offset, length);
            }

            @Override
            public void onCompletion(WorkCompletions completions, int index) {
                engine.onCompletion(completions, index);
            }

            @Override
            public int progress() {
                int n = engine.progress();
                int executed = 0;
                for (BackendNvmeDevice d : devices) {
                    executed += d.pump();
                }
                // Reap what the devices just completed in the same pass rather than on the next one.
                return executed == 0 ? n : n + executed + engine.progress();
            }
        };
    }

    /** The provider's name, "none" when nothing on this port is offloaded. */
    public String providerName() {
        return offload == null ? "none" : offload.providerName();
    }

    /**
     * An I/O queue of {@code subsystemNqn} finished CONNECT on {@code qp}: switch it to offload if
     * the subsystem is offloaded here. The admin queue never is. Returns whether it was switched.
     */
    public boolean queueConnected(QueuePair qp, String subsystemNqn, int qid) {
        SubsystemOffloadContext ctx = contexts.get(subsystemNqn);
        if (qid == 0 || ctx == null) {
            return false;
        }
        offload.enableOffload(qp, ctx.srq());
        offloadedQps.put(qp.qpNumber(), subsystemNqn);
        LOG.log(System.Logger.Level.DEBUG, "QP {0} (qid {1} of {2}) offloaded", qp.qpNumber(), qid, subsystemNqn);
        return true;
    }

    /**
     * The queue's QP is in ERROR and about to be freed: completes when the device says its last
     * offloaded command is done (QP_LAST_NVME_CQE_REACHED), at once for a QP that was never offloaded.
     */
    public CompletableFuture<Void> queueClosing(QueuePair qp) {
        if (offloadedQps.remove(qp.qpNumber()) == null) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        draining.put(qp.qpNumber(), done);
        offload.drain(qp);
        return done;
    }

    /** Offloaded I/O queues on this port now. */
    public int offloadedQueues() {
        return offloadedQps.size();
    }

    List<SubsystemOffloadContext> contexts() {
        return List.copyOf(contexts.values());
    }

    @Override
    public void onNvmfEvent(NvmfEvent event) {
        if (event.type() == NvmfEventType.QP_LAST_NVME_CQE_REACHED) {
            CompletableFuture<Void> done = draining.remove(event.queuePair().qpNumber());
            if (done != null) {
                done.complete(null);
            }
            return;
        }
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
