package io.nvmfoffload.ctl.config;

import io.nvmfoffload.nvme.store.NamespaceStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The plan's step kinds; each is the model call and its inverse. */
final class Steps {
    private Steps() {}

    static final class AddHost extends Step {
        private final String host;

        AddHost(String host) {
            super("add_host");
            this.host = host;
            arg("host", host);
        }

        @Override
        void execute(TargetControl c) {
            c.target().addHost(host);
        }

        @Override
        void undo(TargetControl c) {
            c.target().removeHost(host);
        }
    }

    static final class RemoveHost extends Step {
        private final String host;

        RemoveHost(String host) {
            super("remove_host");
            this.host = host;
            arg("host", host);
        }

        @Override
        void execute(TargetControl c) {
            c.target().removeHost(host);
        }

        @Override
        void undo(TargetControl c) {
            c.target().addHost(host);
        }
    }

    static final class AddSubsystem extends Step {
        private final SubsystemConfig s;

        AddSubsystem(SubsystemConfig s) {
            super("add_subsystem");
            this.s = s;
            arg("subsystem", s.nqn()).arg("serial", s.serial()).arg("model", s.model()).arg("allow_any_host", s.allowAnyHost());
        }

        @Override
        void execute(TargetControl c) {
            c.target().addSubsystem(s.nqn(), s.serial(), s.model(), s.allowAnyHost());
        }

        @Override
        void undo(TargetControl c) {
            c.target().removeSubsystem(s.nqn());
        }
    }

    /** Removes an emptied subsystem (its namespaces and hosts went in earlier steps). */
    static final class RemoveSubsystem extends Step {
        private final SubsystemConfig s;

        RemoveSubsystem(SubsystemConfig running) {
            super("remove_subsystem");
            this.s = running;
            arg("subsystem", s.nqn());
        }

        @Override
        void execute(TargetControl c) {
            c.target().removeSubsystem(s.nqn());
        }

        @Override
        void undo(TargetControl c) {
            c.target().addSubsystem(s.nqn(), s.serial(), s.model(), s.allowAnyHost());
            if (s.offload() != null) {
                c.target().setOffload(s.nqn(), s.offload().toSubsystemOffload());
            }
        }
    }

    static final class SetAllowAnyHost extends Step {
        private final String nqn;
        private final boolean allow;

        SetAllowAnyHost(String nqn, boolean allow) {
            super("set_allow_any_host");
            this.nqn = nqn;
            this.allow = allow;
            arg("subsystem", nqn).arg("allow_any_host", allow);
        }

        @Override
        void execute(TargetControl c) {
            c.target().allowAnyHost(nqn, allow);
        }

        @Override
        void undo(TargetControl c) {
            c.target().allowAnyHost(nqn, !allow);
        }
    }

    static final class AllowHost extends Step {
        private final String nqn;
        private final String host;

        AllowHost(String nqn, String host) {
            super("allow_host");
            this.nqn = nqn;
            this.host = host;
            arg("subsystem", nqn).arg("host", host);
        }

        @Override
        void execute(TargetControl c) {
            c.target().allowHost(nqn, host);
        }

        @Override
        void undo(TargetControl c) {
            c.target().disallowHost(nqn, host);
        }
    }

    static final class DisallowHost extends Step {
        private final String nqn;
        private final String host;

        DisallowHost(String nqn, String host) {
            super("disallow_host");
            this.nqn = nqn;
            this.host = host;
            arg("subsystem", nqn).arg("host", host);
        }

        @Override
        void execute(TargetControl c) {
            c.target().disallowHost(nqn, host);
        }

        @Override
        void undo(TargetControl c) {
            c.target().allowHost(nqn, host);
        }
    }

    /** Offload on (settings), off (null) or changed; only while no port exposes the subsystem. */
    static final class SetOffload extends Step {
        private final String nqn;
        private final OffloadConfig offload;
        private final OffloadConfig previous;

        SetOffload(String nqn, OffloadConfig offload, OffloadConfig previous) {
            super("set_offload");
            this.nqn = nqn;
            this.offload = offload;
            this.previous = previous;
            arg("subsystem", nqn).arg("offload", offload == null ? "off" : ConfigWriter.offload(offload).toString());
        }

        @Override
        void execute(TargetControl c) {
            c.target().setOffload(nqn, offload == null ? null : offload.toSubsystemOffload());
        }

        @Override
        void undo(TargetControl c) {
            c.target().setOffload(nqn, previous == null ? null : previous.toSubsystemOffload());
        }
    }

    /** Opens the store and attaches it; a file it had to create (and its identity sidecar) goes again on undo. */
    static final class AddNamespace extends Step {
        private final String nqn;
        private final NamespaceConfig ns;
        private List<Path> created = List.of();

        AddNamespace(String nqn, NamespaceConfig ns) {
            super("add_namespace");
            this.nqn = nqn;
            this.ns = ns;
            arg("subsystem", nqn).arg("nsid", ns.nsid()).arg("store", ConfigWriter.namespace(ns).get("store").toString());
        }

        @Override
        void execute(TargetControl c) {
            created = notYetThere(ns.store());
            NamespaceStore opened;
            try {
                opened = StoreFactory.open(nqn, ns);
            } catch (RuntimeException e) {
                deleteCreated();
                throw e;
            }
            try {
                c.target().addNamespace(nqn, ns.nsid(), opened);
            } catch (RuntimeException e) {
                opened.close();
                deleteCreated();
                throw e;
            }
        }

        @Override
        void undo(TargetControl c) {
            c.target().removeNamespace(nqn, ns.nsid()).close();
            deleteCreated();
        }

        /** A file store with a size to create it with: the file and its sidecar, those that do not exist yet. */
        private static List<Path> notYetThere(StoreConfig store) {
            if (!(store instanceof StoreConfig.File f) || f.createBytes() <= 0) {
                return List.of();
            }
            return Stream.of(f.path(), f.path().resolveSibling(f.path().getFileName() + ".nvmeid")).filter(Files::notExists).toList();
        }

        private void deleteCreated() {
            for (Path p : created) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot remove " + p + ", created by this apply: " + IoErrors.reason(e, p), e);
                }
            }
            created = List.of();
        }
    }

    /** Detaches a namespace; its store is closed only once the whole apply succeeded. */
    static final class RemoveNamespace extends Step {
        private final String nqn;
        private final int nsid;
        private NamespaceStore detached;

        RemoveNamespace(String nqn, int nsid) {
            super("remove_namespace");
            this.nqn = nqn;
            this.nsid = nsid;
            arg("subsystem", nqn).arg("nsid", nsid);
        }

        @Override
        void execute(TargetControl c) {
            detached = c.target().removeNamespace(nqn, nsid);
        }

        @Override
        void undo(TargetControl c) {
            c.target().addNamespace(nqn, nsid, detached);
            detached = null;
        }

        @Override
        void commit() {
            if (detached != null) {
                detached.close();
            }
        }
    }

    static final class AddPort extends Step {
        private final PortConfig p;

        AddPort(PortConfig p) {
            super("add_port");
            this.p = p;
            arg("port", p.id()).arg("transport", p.transport().id()).arg("address", p.address()).arg("service_id", p.serviceId())
                    .arg("in_capsule_data_size", p.inCapsuleDataSize()).arg("max_io_size", p.maxIoSize());
        }

        @Override
        void execute(TargetControl c) {
            c.target().addPort(p.toPort());
            try {
                c.startListener(p.toPort());
            } catch (RuntimeException e) {
                c.target().removePort(p.id());
                throw e;
            }
        }

        @Override
        void undo(TargetControl c) {
            c.stopListener(p.id());
            c.target().removePort(p.id());
        }
    }

    static final class RemovePort extends Step {
        private final PortConfig p;

        RemovePort(PortConfig running) {
            super("remove_port");
            this.p = running;
            arg("port", p.id());
        }

        @Override
        void execute(TargetControl c) {
            c.stopListener(p.id());
            try {
                c.target().removePort(p.id());
            } catch (RuntimeException e) {
                c.startListener(p.toPort());
                throw e;
            }
        }

        @Override
        void undo(TargetControl c) {
            c.target().addPort(p.toPort());
            c.startListener(p.toPort());
        }
    }

    static final class Link extends Step {
        private final int port;
        private final String nqn;

        Link(int port, String nqn) {
            super("link");
            this.port = port;
            this.nqn = nqn;
            arg("port", port).arg("subsystem", nqn);
        }

        @Override
        void execute(TargetControl c) {
            c.target().link(port, nqn);
        }

        @Override
        void undo(TargetControl c) {
            c.target().unlink(port, nqn);
        }
    }

    static final class Unlink extends Step {
        private final int port;
        private final String nqn;

        Unlink(int port, String nqn) {
            super("unlink");
            this.port = port;
            this.nqn = nqn;
            arg("port", port).arg("subsystem", nqn);
        }

        @Override
        void execute(TargetControl c) {
            c.target().unlink(port, nqn);
        }

        @Override
        void undo(TargetControl c) {
            c.target().link(port, nqn);
        }
    }

    /** Hands the server another offload provider; only while no offloaded subsystem is exposed. */
    static final class SetProvider extends Step {
        private final ProviderConfig provider;
        private final ProviderConfig previous;

        SetProvider(ProviderConfig provider, ProviderConfig previous) {
            super("set_offload_provider");
            this.provider = provider;
            this.previous = previous;
            arg("provider", ConfigWriter.provider(provider).toString());
        }

        @Override
        void execute(TargetControl c) {
            c.provider(provider);
        }

        @Override
        void undo(TargetControl c) {
            c.provider(previous);
        }
    }
}
