package io.nvmfoffload.ctl.config;

import io.nvmfoffload.nvme.store.NamespaceStore;
import io.nvmfoffload.nvmf.HostLimits;
import io.nvmfoffload.nvmf.TargetNamespace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The plan's step kinds; each is the model call and its inverse. Steps without state are table
 * entries ({@link Step#of}); classes remain for the two that hold a store between execute and undo.
 */
final class Steps {
    private Steps() {}

    static Step addHost(String host) {
        return Step.of("add_host", c -> c.target().addHost(host), c -> c.target().removeHost(host)).arg("host", host);
    }

    static Step removeHost(String host) {
        return Step.of("remove_host", c -> c.target().removeHost(host), c -> c.target().addHost(host)).arg("host", host);
    }

    static Step addSubsystem(SubsystemConfig s) {
        return Step.of("add_subsystem", c -> c.target().addSubsystem(s.nqn(), s.serial(), s.model(), s.allowAnyHost()),
                        c -> c.target().removeSubsystem(s.nqn()))
                .arg("subsystem", s.nqn()).arg("serial", s.serial()).arg("model", s.model()).arg("allow_any_host", s.allowAnyHost());
    }

    /** Removes an emptied subsystem (its namespaces and hosts went in earlier steps). */
    static Step removeSubsystem(SubsystemConfig running) {
        return Step.of("remove_subsystem", c -> c.target().removeSubsystem(running.nqn()), c -> {
            c.target().addSubsystem(running.nqn(), running.serial(), running.model(), running.allowAnyHost());
            if (running.offload() != null) {
                c.target().setOffload(running.nqn(), running.offload().toSubsystemOffload());
            }
        }).arg("subsystem", running.nqn());
    }

    static Step setAllowAnyHost(String nqn, boolean allow) {
        return Step.of("set_allow_any_host", c -> c.target().allowAnyHost(nqn, allow), c -> c.target().allowAnyHost(nqn, !allow))
                .arg("subsystem", nqn).arg("allow_any_host", allow);
    }

    static Step allowHost(String nqn, String host) {
        return Step.of("allow_host", c -> c.target().allowHost(nqn, host), c -> c.target().disallowHost(nqn, host))
                .arg("subsystem", nqn).arg("host", host);
    }

    static Step disallowHost(String nqn, String host) {
        return Step.of("disallow_host", c -> c.target().disallowHost(nqn, host), c -> c.target().allowHost(nqn, host))
                .arg("subsystem", nqn).arg("host", host);
    }

    /** Offload on (settings), off (null) or changed; only while no port exposes the subsystem. */
    static Step setOffload(String nqn, OffloadConfig offload, OffloadConfig previous) {
        return Step.of("set_offload", c -> c.target().setOffload(nqn, offload == null ? null : offload.toSubsystemOffload()),
                        c -> c.target().setOffload(nqn, previous == null ? null : previous.toSubsystemOffload()))
                .arg("subsystem", nqn).arg("offload", offload == null ? "off" : ConfigWriter.offload(offload).toString());
    }

    /** A namespace's offload_cmd_tmo_us (0: the subsystem's), changed in place: its store stays open. */
    static Step setNamespaceOffloadTimeout(String nqn, int nsid, long us, long previousUs) {
        return Step.of("set_namespace_offload_cmd_tmo", c -> c.target().setOffloadCommandTimeout(nqn, nsid, us),
                        c -> c.target().setOffloadCommandTimeout(nqn, nsid, previousUs))
                .arg("subsystem", nqn).arg("nsid", nsid).arg("offload_cmd_tmo_us", us);
    }

    /**
     * Sets the bounds on what hosts may make the target hold. Connections and controllers already
     * there stay; the new bounds apply from the next accept, Connect and watchdog pass. A TCP port's
     * data buffer pool is sized when the port starts listening.
     */
    static Step setLimits(HostLimits limits, HostLimits previous) {
        return Step.of("set_limits", c -> c.target().limits(limits), c -> c.target().limits(previous))
                .arg("limits", ConfigWriter.limits(limits).toString());
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
            if (ns.offloadCommandTimeoutUs() != 0) {
                arg("offload_cmd_tmo_us", ns.offloadCommandTimeoutUs());
            }
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
                c.target().addNamespace(nqn, ns.nsid(), opened, ns.offloadCommandTimeoutUs());
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
        private long detachedOffloadTimeoutUs;

        RemoveNamespace(String nqn, int nsid) {
            super("remove_namespace");
            this.nqn = nqn;
            this.nsid = nsid;
            arg("subsystem", nqn).arg("nsid", nsid);
        }

        @Override
        void execute(TargetControl c) {
            TargetNamespace ns = c.target().subsystem(nqn).namespace(nsid);
            detachedOffloadTimeoutUs = ns == null ? 0 : ns.offloadCommandTimeoutUs();
            detached = c.target().removeNamespace(nqn, nsid);
        }

        @Override
        void undo(TargetControl c) {
            c.target().addNamespace(nqn, nsid, detached, detachedOffloadTimeoutUs);
            detached = null;
        }

        @Override
        void commit() {
            if (detached != null) {
                detached.close();
            }
        }
    }

    static Step addPort(PortConfig p) {
        return Step.of("add_port", c -> {
            c.target().addPort(p.toPort());
            try {
                c.startListener(p.toPort());
            } catch (RuntimeException e) {
                c.target().removePort(p.id());
                throw e;
            }
        }, c -> {
            c.stopListener(p.id());
            c.target().removePort(p.id());
        }).arg("port", p.id()).arg("transport", p.transport().id()).arg("address", p.address()).arg("service_id", p.serviceId())
                .arg("in_capsule_data_size", p.inCapsuleDataSize()).arg("max_io_size", p.maxIoSize());
    }

    static Step removePort(PortConfig running) {
        return Step.of("remove_port", c -> {
            c.stopListener(running.id());
            try {
                c.target().removePort(running.id());
            } catch (RuntimeException e) {
                c.startListener(running.toPort());
                throw e;
            }
        }, c -> {
            c.target().addPort(running.toPort());
            c.startListener(running.toPort());
        }).arg("port", running.id());
    }

    static Step link(int port, String nqn) {
        return Step.of("link", c -> c.target().link(port, nqn), c -> c.target().unlink(port, nqn)).arg("port", port).arg("subsystem", nqn);
    }

    static Step unlink(int port, String nqn) {
        return Step.of("unlink", c -> c.target().unlink(port, nqn), c -> c.target().link(port, nqn)).arg("port", port).arg("subsystem", nqn);
    }

    /** Hands the server another offload provider; only while no offloaded subsystem is exposed. */
    static Step setProvider(ProviderConfig provider, ProviderConfig previous) {
        return Step.of("set_offload_provider", c -> c.provider(provider), c -> c.provider(previous))
                .arg("provider", ConfigWriter.provider(provider).toString());
    }
}
