package io.nvmfoffload.softroce.nvmet;

import io.nvmfoffload.softroce.process.CommandResult;
import io.nvmfoffload.softroce.process.Commands;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/** The Linux kernel NVMe-oF host, driven with nvme-cli: the judge of protocol correctness. */
public final class KernelNvmeHost {
    private static final Duration NVME_CLI_TIMEOUT = Duration.ofSeconds(120);

    private KernelNvmeHost() {}

    /** Loads the host transport modules (nvme-rdma, nvme-tcp). */
    public static void loadModules() {
        for (String module : List.of("nvme-fabrics", "nvme-rdma", "nvme-tcp")) {
            Commands.run(Duration.ofSeconds(60), "modprobe", module).orThrow();
        }
    }

    /**
     * Whether the kernel log holds nvme-rdma's complaint that a response invalidated an rkey other
     * than the request's: a target's Send with Invalidate of the wrong key (the host then resets
     * the controller).
     */
    public static boolean loggedBogusRemoteInvalidation() {
        return Commands.run(Duration.ofSeconds(30), "dmesg").stdout().contains("Bogus remote invalidation");
    }

    /** {@code nvme discover} (with extra nvme-cli options such as --hdr-digest): the discovery log as nvme-cli prints it. */
    public static String discover(String transport, String address, int serviceId, String... options) {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("nvme", "discover", "-t", transport, "-a", address,
                "-s", Integer.toString(serviceId)));
        cmd.addAll(java.util.List.of(options));
        return Commands.run(NVME_CLI_TIMEOUT, cmd).orThrow().stdout();
    }

    /** {@code nvme connect} (with extra nvme-cli options such as --hdr-digest), then waits for the subsystem's namespaces to appear as block devices. */
    public static Connection connect(String transport, String nqn, String address, int serviceId, String... options) {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("nvme", "connect", "-t", transport,
                "-n", nqn, "-a", address, "-s", Integer.toString(serviceId)));
        cmd.addAll(java.util.List.of(options));
        Commands.run(NVME_CLI_TIMEOUT, cmd).orThrow();
        Connection connection = new Connection(nqn);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (connection.blockDevices().isEmpty()) {
            if (System.nanoTime() > deadline) {
                connection.close();
                throw new IllegalStateException("nvme connect to " + nqn + " over " + transport + " at " + address + ":"
                        + serviceId + " succeeded but no namespace block device appeared within 30 s");
            }
            sleep(100);
        }
        return connection;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** A connected subsystem; closing it runs {@code nvme disconnect -n NQN}. */
    public static final class Connection implements AutoCloseable {
        private final String nqn;

        private Connection(String nqn) {
            this.nqn = nqn;
        }

        /**
         * The namespace block devices (/dev/nvmeXnY) of this subsystem. Hidden per-path devices
         * (nvmeXcYnZ, under native multipath) are left out: I/O goes to the head device.
         */
        public List<Path> blockDevices() {
            try (Stream<Path> blocks = Files.list(Path.of("/sys/block"))) {
                return blocks.filter(p -> p.getFileName().toString().matches("nvme\\d+n\\d+"))
                        .filter(p -> nqn.equals(readOrNull(p.resolve("device/subsysnqn"))))
                        .map(p -> Path.of("/dev").resolve(p.getFileName().toString()))
                        .sorted()
                        .toList();
            } catch (IOException e) {
                return List.of();
            }
        }

        /** The controller character devices (/dev/nvmeX) of this subsystem. */
        public List<Path> controllers() {
            try (Stream<Path> ctrls = Files.list(Path.of("/sys/class/nvme"))) {
                return ctrls.filter(p -> nqn.equals(readOrNull(p.resolve("subsysnqn"))))
                        .map(p -> Path.of("/dev").resolve(p.getFileName().toString()))
                        .sorted()
                        .toList();
            } catch (IOException e) {
                return List.of();
            }
        }

        private static String readOrNull(Path file) {
            try {
                return Files.readString(file).strip();
            } catch (IOException e) {
                return null;
            }
        }

        @Override
        public void close() {
            Commands.run(NVME_CLI_TIMEOUT, "nvme", "disconnect", "-n", nqn).orThrow();
        }
    }
}
