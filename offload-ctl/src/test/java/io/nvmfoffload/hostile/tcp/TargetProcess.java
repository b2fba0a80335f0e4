package io.nvmfoffload.hostile.tcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code offload-ctl serve CONFIG} in a JVM of its own, as an operator runs it, so that its
 * resident memory and CPU time can be read from /proc without the test's own heap and threads
 * mixed in. The configuration is one subsystem with one RAM namespace on one loopback TCP port.
 */
final class TargetProcess implements AutoCloseable {
    static final String SUBNQN = "nqn.2024-01.io.nvmfoffload:hostile-load";
    static final int NSID = 1;
    static final int BLOCK = 4096;
    static final long NAMESPACE_MIB = 64;
    static final long BLOCKS = (NAMESPACE_MIB << 20) / BLOCK;
    static final String HEAP = "256m";
    /** System property: more options for the target's JVM, space-separated (to investigate, e.g. -Xlog:gc). */
    static final String EXTRA_JVM_ARGS = "hostile.load.targetJvmArgs";

    /** What the document's {@code limits} object says; the test's bounds are derived from it. */
    record Limits(int maxControllersPerSubsystem, int maxControllersPerHost, int maxConnectionsPerPort,
                  int connectTimeoutMillis, int pduTimeoutMillis, int dataBufferPoolMib) {
    }

    final int port;
    final Limits limits;
    private final Process process;
    private final Path log;

    private TargetProcess(int port, Limits limits, Process process, Path log) {
        this.port = port;
        this.limits = limits;
        this.process = process;
        this.log = log;
    }

    /** Writes the configuration into {@code dir}, starts the target and waits until its port accepts. */
    static TargetProcess start(Path dir, Limits limits) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path config = dir.resolve("hostile-load.json");
        Files.writeString(config, document(port, limits));
        Path log = dir.resolve("target.log");
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx" + HEAP));
        String extra = System.getProperty(EXTRA_JVM_ARGS, "").strip();
        if (!extra.isEmpty()) {
            cmd.addAll(List.of(extra.split("\\s+")));
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.nvmfoffload.ctl.cli.OffloadCtl",
                "serve", config.toString(), "--no-socket"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        p.getOutputStream().close();
        TargetProcess t = new TargetProcess(port, limits, p, log);
        try {
            t.awaitListening();
            return t;
        } catch (IOException | RuntimeException | InterruptedException e) {
            t.close();
            throw e;
        }
    }

    /** The JSON document: one subsystem, one RAM namespace, one TCP port on 127.0.0.1, and the limits. */
    static String document(int port, Limits l) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode doc = json.createObjectNode().put("$schema", "urn:nvmf-offload:offload-ctl-config:1");
        doc.putObject("offload_provider").put("name", "none");
        doc.putArray("hosts");
        ObjectNode sub = doc.putArray("subsystems").addObject().put("nqn", SUBNQN).put("serial", "HOSTILELOAD01")
                .put("model", "nvmf-offload hostile load").put("allow_any_host", true);
        sub.putArray("namespaces").addObject().put("nsid", NSID).putObject("store").put("type", "ram")
                .put("size", NAMESPACE_MIB + "MiB").put("block_size", BLOCK);
        ObjectNode tcp = doc.putArray("ports").addObject().put("id", 1).put("transport", "tcp")
                .put("address", "127.0.0.1").put("service_id", port);
        tcp.putArray("subsystems").add(SUBNQN);
        doc.putObject("limits").put("max_controllers_per_subsystem", l.maxControllersPerSubsystem())
                .put("max_controllers_per_host", l.maxControllersPerHost())
                .put("max_connections_per_port", l.maxConnectionsPerPort())
                .put("connect_timeout_ms", l.connectTimeoutMillis()).put("pdu_timeout_ms", l.pduTimeoutMillis())
                .put("data_buffer_pool_size", l.dataBufferPoolMib() + "MiB");
        return json.writerWithDefaultPrettyPrinter().writeValueAsString(doc);
    }

    private void awaitListening() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("offload-ctl serve exited with " + process.exitValue() + ":\n" + logTail());
            }
            // the port is bound once the document is applied; the first line tells that it is served
            if (Files.readString(log, StandardCharsets.UTF_8).contains("serving " + SUBNQN)) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                    return;
                } catch (IOException notYet) {
                    // not accepting yet
                }
            }
            Thread.sleep(50);
        }
        throw new IOException("offload-ctl serve did not listen on port " + port + " within 30 s:\n" + logTail());
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** VmRSS in KiB from /proc/PID/status; -1 once the process is gone. */
    long rssKib() {
        return statusField("VmRSS:");
    }

    /** Threads of the target process, from /proc/PID/status. */
    long threads() {
        return statusField("Threads:");
    }

    private long statusField(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | NumberFormatException gone) {
            // the process ended between two samples
        }
        return -1;
    }

    /** User plus system CPU time of the whole target process in nanoseconds (/proc/PID/stat). */
    long cpuNanos() {
        try {
            return CpuBreakdown.cpuNanos(Files.readString(Path.of("/proc", Long.toString(pid()), "stat")));
        } catch (IOException | RuntimeException gone) {
            return -1;
        }
    }

    /** The last lines the target wrote (stdout and stderr), for failure messages. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM (a clean stop: hosts disconnected), then SIGKILL if it has not ended in 10 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
