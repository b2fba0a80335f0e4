package io.nvmfoffload.ctl.config;

import io.nvmfoffload.nvme.store.FileNamespaceStore;
import io.nvmfoffload.nvme.store.NamespaceStore;
import io.nvmfoffload.nvme.store.RamNamespaceStore;
import io.nvmfoffload.nvmf.Port;
import io.nvmfoffload.nvmf.Subsystem;
import io.nvmfoffload.nvmf.Target;
import io.nvmfoffload.nvmf.TargetNamespace;

import java.util.ArrayList;
import java.util.List;

/** Describes a running target as a {@link TargetConfig}: what {@code save} writes and what plans diff against. */
public final class StateReader {
    private StateReader() {}

    public static TargetConfig read(TargetControl control) {
        Target t = control.target();
        List<SubsystemConfig> subsystems = new ArrayList<>();
        for (Subsystem s : t.subsystems()) {
            List<NamespaceConfig> namespaces = new ArrayList<>();
            for (TargetNamespace ns : s.namespaces()) {
                namespaces.add(new NamespaceConfig(ns.nsid(), store(ns.store()), NamespaceIds.of(ns.store().identity()),
                        ns.offloadCommandTimeoutUs()));
            }
            subsystems.add(new SubsystemConfig(s.nqn(), s.serial(), s.model(), s.allowAnyHost(), List.copyOf(s.allowedHosts()),
                    namespaces, OffloadConfig.of(s.offload())));
        }
        List<PortConfig> ports = new ArrayList<>();
        for (Port p : t.ports()) {
            ports.add(PortConfig.of(p, t.exposedOn(p.id()).stream().map(Subsystem::nqn).toList()));
        }
        return new TargetConfig(List.copyOf(t.hosts()), ports, subsystems, control.provider(), t.limits());
    }

    static StoreConfig store(NamespaceStore store) {
        long bytes = store.capacityBlocks() * store.blockSize();
        return switch (store) {
            case RamNamespaceStore r -> new StoreConfig.Ram(bytes, r.blockSize());
            case FileNamespaceStore f -> {
                boolean direct = f.directIo() || f.directIoFallbackReason() != null;
                yield f.isBlockDevice() ? new StoreConfig.Block(f.path(), f.blockSize(), direct)
                        : new StoreConfig.File(f.path(), f.blockSize(), 0, direct);
            }
            default -> throw new IllegalStateException("namespace store " + store.name() + " of type "
                    + store.getClass().getSimpleName() + " cannot be described in a configuration document");
        };
    }
}
