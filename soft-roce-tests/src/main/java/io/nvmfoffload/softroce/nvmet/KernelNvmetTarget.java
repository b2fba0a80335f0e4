package io.nvmfoffload.softroce.nvmet;

import io.nvmfoffload.softroce.process.Commands;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The Linux kernel NVMe-oF target (nvmet), configured through configfs as nvmetcli does: one
 * subsystem open to any host, its namespaces, and ports on rdma and/or tcp. It is the side-by-side
 * reference for our target's benchmarks and the oracle for protocol behaviour.
 *
 * <p>Every configfs step taken is recorded, and {@link #close} undoes them in reverse order, so a
 * failure half-way leaves nothing behind.
 */
public final class KernelNvmetTarget implements AutoCloseable {
    public static final Path CONFIGFS = Path.of("/sys/kernel/config/nvmet");

    public record Namespace(int nsid, Path device) {}

    private final String nqn;
    private final List<Namespace> namespaces;
    private final List<NvmetPort> ports;
    private final Deque<Step> undo = new ArrayDeque<>();

    @FunctionalInterface
    private interface Step {
        void run() throws IOException;
    }

    private KernelNvmetTarget(String nqn, List<Namespace> namespaces, List<NvmetPort> ports) {
        this.nqn = nqn;
        this.namespaces = List.copyOf(namespaces);
        this.ports = List.copyOf(ports);
    }

    public static Builder subsystem(String nqn) {
        return new Builder(nqn);
    }

    public String nqn() {
        return nqn;
    }

    public List<NvmetPort> ports() {
        return ports;
    }

    private KernelNvmetTarget start() {
        try {
            for (String module : List.of("nvmet", "nvmet-rdma", "nvmet-tcp")) {
                Commands.run(Duration.ofSeconds(60), "modprobe", module).orThrow();
            }
            if (!Files.isDirectory(CONFIGFS)) {
                throw new IllegalStateException(CONFIGFS + " is missing: configfs is not mounted at /sys/kernel/config");
            }
            Path subsys = mkdir(CONFIGFS.resolve("subsystems").resolve(nqn));
            write(subsys.resolve("attr_allow_any_host"), "1");
            for (Namespace ns : namespaces) {
                Path dir = mkdir(subsys.resolve("namespaces").resolve(Integer.toString(ns.nsid())));
                write(dir.resolve("device_path"), ns.device().toString());
                write(dir.resolve("enable"), "1");
                undo.push(() -> write(dir.resolve("enable"), "0"));
            }
            for (NvmetPort port : ports) {
                Path dir = mkdir(CONFIGFS.resolve("ports").resolve(Integer.toString(port.id())));
                write(dir.resolve("addr_trtype"), port.transport());
                write(dir.resolve("addr_adrfam"), "ipv4");
                write(dir.resolve("addr_traddr"), port.address());
                write(dir.resolve("addr_trsvcid"), Integer.toString(port.serviceId()));
                Path link = dir.resolve("subsystems").resolve(nqn);
                Files.createSymbolicLink(link, subsys);
                undo.push(() -> Files.delete(link));
            }
            return this;
        } catch (IOException | RuntimeException e) {
            RuntimeException failure = e instanceof RuntimeException re ? re
                    : new UncheckedIOException("configuring nvmet subsystem " + nqn + " failed: " + e.getMessage(), (IOException) e);
            try {
                close();
            } catch (RuntimeException undoFailure) {
                failure.addSuppressed(undoFailure);
            }
            throw failure;
        }
    }

    private Path mkdir(Path dir) throws IOException {
        Files.createDirectory(dir);
        undo.push(() -> Files.delete(dir));
        return dir;
    }

    private static void write(Path attribute, String value) throws IOException {
        try {
            Files.writeString(attribute, value);
        } catch (IOException e) {
            throw new IOException("writing '" + value + "' to " + attribute + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        List<String> failures = new ArrayList<>();
        while (!undo.isEmpty()) {
            try {
                undo.pop().run();
            } catch (IOException e) {
                failures.add(e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("tearing down nvmet subsystem " + nqn + " left: " + failures);
        }
    }

    public static final class Builder {
        private final String nqn;
        private final List<Namespace> namespaces = new ArrayList<>();
        private final List<NvmetPort> ports = new ArrayList<>();

        private Builder(String nqn) {
            this.nqn = nqn;
        }

        public Builder namespace(int nsid, Path device) {
            namespaces.add(new Namespace(nsid, device));
            return this;
        }

        public Builder port(int id, String transport, String address, int serviceId) {
            ports.add(new NvmetPort(id, transport, address, serviceId));
            return this;
        }

        /** Loads the nvmet modules and creates everything in configfs. */
        public KernelNvmetTarget start() {
            return new KernelNvmetTarget(nqn, namespaces, ports).start();
        }
    }
}
