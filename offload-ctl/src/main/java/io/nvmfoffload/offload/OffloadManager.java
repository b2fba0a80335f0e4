package io.nvmfoffload.offload;

import io.nvmfoffload.nvmf.Port;
import io.nvmfoffload.nvmf.Subsystem;
import io.nvmfoffload.nvmf.SubsystemOffload;
import io.nvmfoffload.nvmf.Target;
import io.nvmfoffload.nvmf.TargetNamespace;
import io.nvmfoffload.nvmf.TransportType;
import io.nvmfoffload.nvmf.core.TargetCore;
import io.nvmfoffload.verbs.DeviceContext;
import io.nvmfoffload.verbs.ProtectionDomain;
import io.nvmfoffload.verbs.nvmf.NvmfOffload;
import io.nvmfoffload.verbs.nvmf.NvmfOffloadProvider;
import io.nvmfoffload.verbs.nvmf.NvmfOffloadProviders;
import io.nvmfoffload.verbs.nvmf.OffloadContextCounters;
import io.nvmfoffload.verbs.nvmf.OffloadNamespaceCounters;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The offload control path of a running target. For each RDMA port it opens the device's offload
 * (from the configured provider, else the one {@link NvmfOffloadProviders} picks), checks every
 * offloaded subsystem on the port against the capabilities before creating anything, then builds
 * one offload context per (port, subsystem). It keeps the event log operators read.
 */
public final class OffloadManager implements AutoCloseable {
    private final TargetCore core;
    private final NvmfOffloadProvider provider;
    private final Map<DeviceContext, NvmfOffload> offloads = new HashMap<>();
    private final List<PortOffload> ports = new ArrayList<>();
    /** The device of each RDMA port opened here, for the IOCCSZ its offloaded subsystems report. */
    private final Map<Integer, DeviceContext> portDevices = new ConcurrentHashMap<>();
    private final OffloadEventLog events = new OffloadEventLog();

    /**
     * Also tells {@code core} the IOCCSZ of offloaded subsystems on its RDMA ports, until {@link #close}.
     *
     * @param provider the provider to use for every device, or null to let {@link NvmfOffloadProviders} choose
     */
    public OffloadManager(TargetCore core, NvmfOffloadProvider provider) {
        this.core = core;
        this.provider = provider;
        core.capsuleSizes(this::ioccsz);
    }

    /**
     * What Identify Controller reports as IOCCSZ: on an RDMA port opened here, an offloaded subsystem
     * reports what its offload SRQ takes ({@link OffloadValidator#ioccsz}), so hosts never send a
     * capsule larger than the device's max_ioccsz; everything else the port's own.
     */
    private int ioccsz(Port port, Subsystem subsystem) {
        DeviceContext device = portDevices.get(port.id());
        if (device == null || subsystem.offload() == null || port.transport() != TransportType.RDMA) {
            return port.ioccsz();
        }
        return OffloadValidator.ioccsz(offloadOf(device).capabilities(), port.ioccsz());
    }

    public OffloadEventLog events() {
        return events;
    }

    /** The offload of a device, opened once. */
    public synchronized NvmfOffload offloadOf(DeviceContext context) {
        return offloads.computeIfAbsent(context, c -> provider != null ? provider.open(c) : NvmfOffloadProviders.open(c));
    }

    /**
     * Builds the offload of every offloaded subsystem exposed on {@code port}, whose listener runs on
     * {@code pd}'s device, after checking them all against the device's capabilities.
     *
     * @throws OffloadConfigurationException naming every limit broken, before anything is created
     */
    public synchronized PortOffload openPort(Port port, ProtectionDomain pd, int srqDepth) {
        List<Subsystem> offloaded = core.target().exposedOn(port.id()).stream().filter(s -> s.offload() != null).toList();
        PortOffload.LateContexts late = nqn -> lateContext(port, pd, srqDepth, nqn);
        Map<String, SubsystemOffloadContext> contexts = offloaded.isEmpty() ? Map.of() : createContexts(port, pd, srqDepth, offloaded);
        NvmfOffload offload = offloaded.isEmpty() ? null : offloadOf(pd.context());
        PortOffload po = new PortOffload(port, offload, contexts, events, core::reportTransientError, late);
        ports.add(po);
        portDevices.put(port.id(), pd.context());
        return po;
    }

    /** The context of a subsystem linked after the port started, checked as at start. Null: not offloaded here. */
    private synchronized SubsystemOffloadContext lateContext(Port port, ProtectionDomain pd, int srqDepth, String nqn) {
        Target target = core.target();
        Subsystem s = target.findSubsystem(nqn).orElse(null);
        if (s == null || s.offload() == null || !target.isExposed(port.id(), nqn)) {
            return null;
        }
        return createContexts(port, pd, srqDepth, List.of(s)).get(nqn);
    }

    /**
     * Checks {@code subsystems} against the device's capabilities (including the backend controllers
     * other ports already use), then builds their offload contexts; nothing is created if a limit is broken.
     */
    private Map<String, SubsystemOffloadContext> createContexts(Port port, ProtectionDomain pd, int srqDepth,
                                                                List<Subsystem> subsystems) {
        NvmfOffload offload = offloadOf(pd.context());
        OffloadValidator validator = new OffloadValidator(offload.capabilities(), pd.context().name(), offload.providerName());
        List<String> problems = new ArrayList<>(validator.validate(subsystems.stream().map(s -> settingsOf(s, port)).toList()));
        int alreadyUsed = ports.stream().flatMap(p -> p.contexts().stream()).mapToInt(c -> c.namespaceBackends().size()).sum();
        int wanted = subsystems.stream().mapToInt(s -> s.namespaces().size()).sum();
        if (port.offloadPassthroughSqeRw() && !offload.capabilities().passthroughSqeRwService()) {
            problems.add(port + ": offload_passthrough_sqe_rw is set but device " + pd.context().name()
                    + " lacks passthrough_sqe_rw_service (provider " + offload.providerName() + ")");
        }
        if (problems.isEmpty() && alreadyUsed + wanted > offload.capabilities().maxBackendCtrlsTotal()) {
            problems.add(port + ": " + wanted + " backend controllers on top of the " + alreadyUsed
                    + " in use exceed max_backend_ctrls_total " + offload.capabilities().maxBackendCtrlsTotal()
                    + " of device " + pd.context().name() + " (provider " + offload.providerName() + ")");
        }
        if (!problems.isEmpty()) {
            throw new OffloadConfigurationException(problems);
        }
        Map<String, SubsystemOffloadContext> contexts = new LinkedHashMap<>();
        try {
            for (Subsystem s : subsystems) {
                contexts.put(s.nqn(), new SubsystemOffloadContext(port, s, offload, pd, srqDepth));
            }
        } catch (RuntimeException e) {
            contexts.values().forEach(SubsystemOffloadContext::close);
            throw e;
        }
        return contexts;
    }

    private static OffloadSettings settingsOf(Subsystem s, Port port) {
        SubsystemOffload o = s.offload();
        Map<Integer, Integer> blockSizes = new TreeMap<>();
        for (TargetNamespace ns : s.namespaces()) {
            blockSizes.put(ns.nsid(), ns.store().blockSize());
        }
        return new OffloadSettings(s.nqn(), o.ops(), o.queueDepth(), o.stagingBufferBytes(), port.ioccsz(), o.maxIoSize(),
                o.commandTimeoutUs(), blockSizes);
    }

    /** Forgets a port's offload once its transport closed it. */
    public synchronized void portClosed(PortOffload port) {
        ports.remove(port);
        portDevices.remove(port.port().id());
    }

    /** One line of state per offloaded namespace, always with the provider that serves it. */
    public synchronized List<OffloadNamespaceStatus> status() {
        List<OffloadNamespaceStatus> out = new ArrayList<>();
        for (PortOffload p : ports) {
            for (SubsystemOffloadContext ctx : p.contexts()) {
                OffloadContextCounters cc = ctx.contextCounters();
                for (SubsystemOffloadContext.NamespaceBackend nb : ctx.namespaceBackends()) {
                    out.add(new OffloadNamespaceStatus(p.providerName(), ctx.port.id(), ctx.subsystem.nqn(), nb.nsid,
                            nb.softwareReason == null ? "offloaded" : "software: " + nb.softwareReason,
                            nb.controller == null ? 0 : nb.controller.id(), nb.controller == null ? 0 : nb.commandTimeoutUs,
                            ctx.counters(nb.nsid), cc.unknownNamespaceCommands(),
                            cc.lastReadLatency100ns(), cc.lastWriteLatency100ns(), cc.queueDepth(),
                            cc.remoteInvalidations()));
                }
            }
        }
        return out;
    }

    /** The counters of one offloaded namespace on one port (zero if it is not offloaded there). */
    public synchronized OffloadNamespaceCounters counters(int portId, String subsystemNqn, int nsid) {
        SubsystemOffloadContext ctx = context(portId, subsystemNqn);
        return ctx == null ? OffloadNamespaceCounters.ZERO : ctx.counters(nsid);
    }

    /**
     * The backend NVMe device behind an offloaded subsystem on a port, for fault injection (tests,
     * the fault campaign): its emulated controller can be made to fail or to drop completions.
     */
    public synchronized io.nvmfoffload.nvme.emu.EmulatedController backendDevice(int portId, String subsystemNqn) {
        SubsystemOffloadContext ctx = context(portId, subsystemNqn);
        if (ctx == null) {
            throw new IllegalArgumentException("subsystem " + subsystemNqn + " is not offloaded on port " + portId);
        }
        return ctx.device().controller();
    }

    /**
     * Recovers the backend of an offloaded subsystem after PCI errors (an operator's action, once
     * the device is repaired), on one port or, with {@code portId} null, on every port that offloads
     * it. Returns what became of each namespace on each port.
     *
     * @throws IllegalArgumentException if the subsystem is not offloaded there
     * @throws IllegalStateException    if a backend had nothing to recover or did not come back
     */
    public synchronized List<BackendRecovery> recoverAfterPciError(Integer portId, String subsystemNqn) {
        record Offloading(PortOffload port, SubsystemOffloadContext ctx) {}
        List<Offloading> offloading = new ArrayList<>();
        for (PortOffload p : ports) {
            for (SubsystemOffloadContext ctx : p.contexts()) {
                if ((portId == null || ctx.port.id() == portId) && ctx.subsystem.nqn().equals(subsystemNqn)) {
                    offloading.add(new Offloading(p, ctx));
                }
            }
        }
        if (offloading.isEmpty()) {
            throw new IllegalArgumentException("subsystem " + subsystemNqn + " is not offloaded"
                    + (portId == null ? "" : " on port " + portId));
        }
        // On every port: only where something waits for recovery. On a named port: that one, or its "nothing to recover".
        List<Offloading> chosen = portId != null ? offloading : offloading.stream().filter(o -> o.ctx().needsRecovery()).toList();
        if (chosen.isEmpty()) {
            throw new IllegalStateException("nothing to recover: every backend device of " + subsystemNqn
                    + " is healthy and every namespace is offloaded");
        }
        List<BackendRecovery> out = new ArrayList<>();
        for (Offloading o : chosen) {
            out.addAll(o.port().recoverAfterPciError(o.ctx()));
        }
        return out;
    }

    private SubsystemOffloadContext context(int portId, String subsystemNqn) {
        for (PortOffload p : ports) {
            for (SubsystemOffloadContext ctx : p.contexts()) {
                if (ctx.port.id() == portId && ctx.subsystem.nqn().equals(subsystemNqn)) {
                    return ctx;
                }
            }
        }
        return null;
    }

    public String describeProviders() {
        synchronized (this) {
            return offloads.entrySet().stream().map(e -> e.getKey().name() + ": " + e.getValue().providerName())
                    .collect(Collectors.joining(", "));
        }
    }

    @Override
    public synchronized void close() {
        core.capsuleSizes(TargetCore.CapsuleSizes.PORTS_OWN);
        for (PortOffload p : List.copyOf(ports)) {
            p.close();
        }
        ports.clear();
        portDevices.clear();
        for (NvmfOffload o : offloads.values()) {
            try {
                o.close();
            } catch (RuntimeException e) {
                System.getLogger(OffloadManager.class.getName()).log(System.Logger.Level.WARNING, "closing " + o.providerName()
                        + " offload: " + e.getMessage());
            }
        }
        offloads.clear();
    }
}
