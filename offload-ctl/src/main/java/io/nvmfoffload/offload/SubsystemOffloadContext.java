package io.nvmfoffload.offload;

import io.nvmfoffload.nvme.emu.DmaRegion;
import io.nvmfoffload.nvme.emu.DmaSpace;
import io.nvmfoffload.nvme.spec.ControllerRegisters;
import io.nvmfoffload.nvmf.Port;
import io.nvmfoffload.nvmf.Subsystem;
import io.nvmfoffload.nvmf.SubsystemOffload;
import io.nvmfoffload.nvmf.TargetNamespace;
import io.nvmfoffload.verbs.Access;
import io.nvmfoffload.verbs.MemoryRegion;
import io.nvmfoffload.verbs.ProtectionDomain;
import io.nvmfoffload.verbs.nvmf.BackendController;
import io.nvmfoffload.verbs.nvmf.BackendControllerAttributes;
import io.nvmfoffload.verbs.nvmf.MemoryRange;
import io.nvmfoffload.verbs.nvmf.NamespaceMapping;
import io.nvmfoffload.verbs.nvmf.NvmfOffload;
import io.nvmfoffload.verbs.nvmf.NvmfSrq;
import io.nvmfoffload.verbs.nvmf.NvmfSrqAttributes;
import io.nvmfoffload.verbs.nvmf.OffloadContextCounters;
import io.nvmfoffload.verbs.nvmf.OffloadNamespaceCounters;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The offload of one subsystem on one port: the registered staging buffer, the offload SRQ, the
 * backend device with one reserved queue pair and one backend controller per namespace, and the
 * namespace mappings. Built in that order and torn down in reverse; a backend that fails is
 * released (PCI error) or recreated (timeout) while the software path serves its namespace, and
 * after a PCI error recovered on an operator's word.
 */
final class SubsystemOffloadContext implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SubsystemOffloadContext.class.getName());

    /** One offloaded namespace and where its I/O goes now. */
    static final class NamespaceBackend {
        final int nsid;
        final int backendNsid;
        final int lbaDataSize;
        BackendQueue queue;
        BackendController controller;
        /** The command timeout {@link #controller} was created with; 0: the device's own default. */
        long commandTimeoutUs;
        /** Why the namespace is on the software path, or null while offloaded. */
        String softwareReason;
        /** Released after a PCI error: its backend waits for {@link #recoverAfterPciError}. */
        boolean awaitingRecovery;
        OffloadNamespaceCounters retired = OffloadNamespaceCounters.ZERO;

        NamespaceBackend(int nsid, int backendNsid, int lbaDataSize) {
            this.nsid = nsid;
            this.backendNsid = backendNsid;
            this.lbaDataSize = lbaDataSize;
        }
    }

    final Port port;
    final Subsystem subsystem;
    final SubsystemOffload settings;
    private final NvmfOffload offload;
    private final ProtectionDomain pd;
    private final Arena arena = Arena.ofShared();
    private final DmaSpace dma = new DmaSpace();
    private MemoryRegion stagingMr;
    private DmaRegion stagingRegion;
    private NvmfSrq srq;
    private BackendNvmeDevice device;
    private MemoryRegion barMr;
    private final Map<Integer, NamespaceBackend> namespaces = new LinkedHashMap<>();

    SubsystemOffloadContext(Port port, Subsystem subsystem, NvmfOffload offload, ProtectionDomain pd, int srqDepth) {
        this.port = port;
        this.subsystem = subsystem;
        this.settings = subsystem.offload();
        this.offload = offload;
        this.pd = pd;
        try {
            MemorySegment staging = arena.allocate(settings.stagingBufferBytes(), 4096);
            stagingMr = pd.registerMemory(staging, Access.LOCAL_WRITE);
            // The software must make the staging buffer reachable by the backend device (its IOMMU).
            stagingRegion = dma.register(staging);
            List<TargetNamespace> nss = List.copyOf(subsystem.namespaces());
            int ioccsz = OffloadValidator.ioccsz(offload.capabilities(), port.ioccsz());
            srq = offload.createSrq(pd, new NvmfSrqAttributes(settings.ops(), nss.size(), 0, ioccsz, 0,
                    settings.maxIoSize(), settings.queueDepth(), MemoryRange.of(stagingMr), srqDepth, 1,
                    port.offloadPassthroughSqeRw()));
            device = new BackendNvmeDevice(serialFor(subsystem), nss.stream().map(TargetNamespace::store).toList(), dma,
                    settings.queueDepth(), settings.maxIoSize());
            barMr = pd.registerMemory(device.controller().bar(), Access.LOCAL_WRITE);
            for (int i = 0; i < nss.size(); i++) {
                TargetNamespace ns = nss.get(i);
                NamespaceBackend nb = new NamespaceBackend(ns.nsid(), i + 1,
                        OffloadValidator.lbaDataSize(ns.store().blockSize()));
                namespaces.put(ns.nsid(), nb);
                attach(nb);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private static String serialFor(Subsystem s) {
        String sn = "EMU" + Integer.toHexString(s.nqn().hashCode());
        return sn.length() > 20 ? sn.substring(0, 20) : sn;
    }

    /** Reserves a queue pair for the namespace's backend controller, creates it and maps the namespace. */
    private void attach(NamespaceBackend nb) {
        int qid = nb.backendNsid;
        long timeoutUs = OffloadValidator.commandTimeoutUs(offload.capabilities(), ownCommandTimeoutUs(nb.nsid),
                settings.commandTimeoutUs());
        BackendQueue q = new BackendQueue(device.createQueuePair(qid, settings.queueDepth()), pd);
        try {
            int dstrd = device.doorbellStride();
            BackendControllerAttributes attrs = new BackendControllerAttributes(q.sqRange(), q.cqRange(),
                    MemoryRange.of(barMr, ControllerRegisters.sqTailDoorbell(qid, dstrd), 4),
                    MemoryRange.of(barMr, ControllerRegisters.cqHeadDoorbell(qid, dstrd), 4),
                    0, 0, timeoutUs, MemoryRange.of(barMr, ControllerRegisters.CSTS, 4));
            BackendController ctrl = srq.createBackendController(attrs);
            try {
                ctrl.mapNamespace(new NamespaceMapping(nb.nsid, nb.lbaDataSize, nb.backendNsid));
            } catch (RuntimeException e) {
                ctrl.close();
                throw e;
            }
            nb.queue = q;
            nb.controller = ctrl;
            nb.commandTimeoutUs = timeoutUs;
            nb.softwareReason = null;
        } catch (RuntimeException e) {
            q.close();
            if (device.healthy()) {
                device.deleteQueuePair(q.queuePair);
            }
            throw e;
        }
    }

    /** A namespace's offload_cmd_tmo_us as it is now (it may have changed since this context was made); 0: none. */
    private long ownCommandTimeoutUs(int nsid) {
        TargetNamespace ns = subsystem.namespace(nsid);
        return ns == null ? 0 : ns.offloadCommandTimeoutUs();
    }

    NvmfOffload offload() {
        return offload;
    }

    NvmfSrq srq() {
        return srq;
    }

    /** The namespace a backend controller serves, or null if it is not one of ours. */
    synchronized NamespaceBackend owning(BackendController ctrl) {
        for (NamespaceBackend nb : namespaces.values()) {
            if (nb.controller == ctrl) {
                return nb;
            }
        }
        return null;
    }

    /**
     * NVME_PCI_ERR: release the backend controller without destroying its queues (the device cannot
     * be reached to delete them) and leave the namespace to the software path, which reaches the
     * same store. Not recreated.
     */
    synchronized void releaseAfterPciError(NamespaceBackend nb, String why) {
        if (nb.controller == null) {
            return;
        }
        retire(nb);
        nb.softwareReason = "backend PCI error: " + why;
        nb.awaitingRecovery = true;
        // The rings stay allocated and registered: a device that comes back could still write
        // them, and the staging slots its commands point to stay quarantined meanwhile.
    }

    /** Whether a namespace left offload after a PCI error, or the device is in fatal status. */
    synchronized boolean needsRecovery() {
        return !device.healthy() || namespaces.values().stream().anyMatch(nb -> nb.awaitingRecovery);
    }

    /**
     * Brings offload back after PCI errors, once an operator says the device is repaired: the
     * shipped stack never recreates a backend after a PCI error on its own, and neither do we. The
     * backend device is reset (which clears its fatal status and forgets every I/O queue), the
     * rings the failed device held are freed, and every namespace gets a new queue pair and a new
     * backend controller, mapped again. A namespace still offloaded is moved too, since the reset
     * takes its queues away; the engine answers what it had outstanding with a status the host
     * retries. Returns what became of each namespace.
     *
     * @throws IllegalStateException if there is nothing to recover, or the device does not come back
     */
    synchronized List<BackendRecovery> recoverAfterPciError() {
        if (!needsRecovery()) {
            throw new IllegalStateException("nothing to recover: the backend device of " + subsystem.nqn() + " on port " + port.id()
                    + " is healthy and every namespace is offloaded");
        }
        for (NamespaceBackend nb : namespaces.values()) {
            if (nb.controller != null) {
                retire(nb);
            }
            nb.softwareReason = "backend recovery in progress";
        }
        try {
            device.reset(namespaces.size());
        } catch (RuntimeException e) {
            for (NamespaceBackend nb : namespaces.values()) {
                nb.softwareReason = "backend device reset failed: " + e.getMessage();
                nb.awaitingRecovery = true;
            }
            // the rings stay registered: close() abandons them once the device thread has stopped
            throw new IllegalStateException("backend device of " + subsystem.nqn() + " did not come back from reset: " + e.getMessage(), e);
        }
        // After the reset the device no longer knows these rings, so they can go; deregistering
        // them tells the offload that the staging slots it quarantined for them are safe again.
        for (NamespaceBackend nb : namespaces.values()) {
            if (nb.queue != null) {
                nb.queue.close();
                nb.queue.queuePair.close();
                nb.queue = null;
            }
        }
        List<BackendRecovery> outcome = new ArrayList<>();
        for (NamespaceBackend nb : namespaces.values()) {
            try {
                attach(nb);
                nb.awaitingRecovery = false;
                outcome.add(new BackendRecovery(port.id(), nb.nsid, true,
                        "device reset; backend controller " + nb.controller.id() + " maps nsid " + nb.nsid + " again"));
            } catch (RuntimeException e) {
                nb.softwareReason = "backend recovery failed: " + e.getMessage();
                outcome.add(new BackendRecovery(port.id(), nb.nsid, false, nb.softwareReason));
            }
        }
        return outcome;
    }

    /**
     * NVME_TIMEOUT: release the backend controller, destroy its queues, create them again and remap
     * the namespace, so offload resumes. Returns what happened, for the event log.
     */
    synchronized String recreateAfterTimeout(NamespaceBackend nb) {
        if (nb.controller == null) {
            return "already released";
        }
        retire(nb);
        try {
            BackendQueue old = nb.queue;
            old.close();
            device.deleteQueuePair(old.queuePair);
            nb.queue = null;
            attach(nb);
            return "queues destroyed and recreated; backend controller " + nb.controller.id() + " maps nsid " + nb.nsid + " again";
        } catch (RuntimeException e) {
            nb.softwareReason = "backend recreation failed: " + e.getMessage();
            return nb.softwareReason;
        }
    }

    private void retire(NamespaceBackend nb) {
        try {
            nb.retired = nb.retired.plus(nb.controller.counters(nb.nsid));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "counters of nsid {0}: {1}", nb.nsid, e.getMessage());
        }
        nb.controller.close();
        nb.controller = null;
    }

    /** The front-end namespace's counters over every backend controller it has had. */
    synchronized OffloadNamespaceCounters counters(int nsid) {
        NamespaceBackend nb = namespaces.get(nsid);
        if (nb == null) {
            return OffloadNamespaceCounters.ZERO;
        }
        return nb.controller == null ? nb.retired : nb.retired.plus(nb.controller.counters(nsid));
    }

    OffloadContextCounters contextCounters() {
        return srq.counters();
    }

    synchronized List<NamespaceBackend> namespaceBackends() {
        return new ArrayList<>(namespaces.values());
    }

    /** The backend device, for fault injection in tests and for status. */
    BackendNvmeDevice device() {
        return device;
    }

    @Override
    public synchronized void close() {
        List<BackendQueue> abandoned = new ArrayList<>();
        for (NamespaceBackend nb : namespaces.values()) {
            if (nb.controller != null) {
                nb.controller.close();
                nb.controller = null;
            }
            if (nb.queue != null) {
                nb.queue.close();
                try {
                    if (device.healthy()) {
                        device.deleteQueuePair(nb.queue.queuePair);
                    } else {
                        abandoned.add(nb.queue);
                    }
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.DEBUG, "deleting backend queue {0}: {1}", nb.backendNsid, e.getMessage());
                    abandoned.add(nb.queue);
                }
                nb.queue = null;
            }
        }
        if (srq != null) {
            srq.close();
        }
        if (barMr != null) {
            barMr.close();
        }
        if (device != null) {
            device.close();
        }
        // Rings the failed device still owned are freed only once its device thread has stopped.
        abandoned.forEach(q -> q.queuePair.close());
        if (stagingRegion != null) {
            stagingRegion.close();
        }
        if (stagingMr != null) {
            stagingMr.close();
        }
        arena.close();
    }

    @Override
    public String toString() {
        return "offload of " + subsystem.nqn() + " on port " + port.id() + " (provider " + offload.providerName() + ")";
    }
}
