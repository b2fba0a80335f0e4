package io.nvmfoffload.ctl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nvmfoffload.ctl.config.ConfigReader;
import io.nvmfoffload.ctl.config.PortConfig;
import io.nvmfoffload.ctl.config.SubsystemConfig;
import io.nvmfoffload.ctl.config.TargetConfig;
import io.nvmfoffload.ctl.rpc.ManagedTarget;
import io.nvmfoffload.ctl.rpc.SocketPaths;
import io.nvmfoffload.nvmf.TransportType;
import io.nvmfoffload.nvmf.server.Quickstart;
import io.nvmfoffload.verbs.RdmaDevices;
import io.nvmfoffload.verbs.Verbs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code offload-ctl serve [CONFIG]}: runs the target in the foreground until SIGTERM/SIGINT
 * (systemd-friendly: it logs to stderr, stops cleanly on SIGTERM, which the JVM reports as exit status
 * 143, and a wrong CONFIG exits 1 before anything listens). Without CONFIG it serves /etc/nvmf-offload/config.json when that exists, else
 * the examples' quickstart, embedded as a resource; its first log line says which.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the target in the foreground until stopped (Ctrl-C or SIGTERM), configured by CONFIG, with the "
                + "management API (JSON-RPC) on --socket for the other commands.",
                "Without CONFIG it serves /etc/nvmf-offload/config.json when that file exists, else the embedded quickstart "
                        + "(examples/configs/quickstart.json): subsystem " + Quickstart.NQN + " with one RAM-backed namespace over "
                        + "NVMe/TCP; --address, --port, --ram-mib and --rdma-address adjust it. The first log line says which it serves.",
                "systemd: packaging/systemd/nvmf-offload.service runs 'serve /etc/nvmf-offload/config.json' and reloads with "
                        + "'offload-ctl apply' of the same file."})
final class ServeCommand implements Callable<Integer> {
    /** What serve serves when given no CONFIG, if it exists: the file the systemd unit names. */
    static final Path DEFAULT_CONFIG = Path.of("/etc/nvmf-offload/config.json");
    private static final System.Logger LOG = System.getLogger(ServeCommand.class.getName());

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "CONFIG", arity = "0..1",
            description = "The JSON configuration document; if absent, /etc/nvmf-offload/config.json when it exists, else the quickstart.")
    Path config;

    @Option(names = "--quickstart", description = "Serve the embedded quickstart even when /etc/nvmf-offload/config.json exists.")
    boolean quickstart;

    @Option(names = "--address", paramLabel = "ADDRESS", description = "Quickstart only: IPv4 address to listen on (default: 127.0.0.1).")
    String address;

    @Option(names = "--port", paramLabel = "SERVICE_ID", description = "Quickstart only: TCP service id (default: 4420).")
    Integer servicePort;

    @Option(names = "--rdma-address", paramLabel = "ADDRESS",
            description = "Quickstart only: also serve over NVMe/RDMA on this IPv4 address (an RDMA device's).")
    String rdmaAddress;

    @Option(names = "--ram-mib", paramLabel = "MIB", description = "Quickstart only: size of the RAM namespace in MiB (default: 256).")
    Long ramMib;

    @Option(names = "--socket", paramLabel = "PATH",
            description = "Where to serve the management API (default: see 'offload-ctl status --help').")
    Path socket;

    @Option(names = "--no-socket", description = "Do not serve the management API.")
    boolean noSocket;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Also serve the statistics, with JVM and process metrics, for Prometheus on http://127.0.0.1:PORT/metrics "
                    + "(another address: --metrics-address; 0: any free port, printed at start).")
    Integer metricsPort;

    /** The default configuration; a test points it elsewhere. */
    Path defaultConfig = DEFAULT_CONFIG;

    @Option(names = "--metrics-address", paramLabel = "ADDRESS",
            description = "The address --metrics-port listens on: an IPv4 or IPv6 address or a host name (default: 127.0.0.1, "
                    + "loopback only; 0.0.0.0 or :: for every interface).")
    String metricsAddress;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        InetSocketAddress metrics = metricsListen();
        Source source = source();
        LOG.log(System.Logger.Level.INFO, "serving {0}", source.description());
        TargetConfig target = ConfigReader.read(source.document());
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        try (ManagedTarget managed = ManagedTarget.start(target, null)) {
            if (!noSocket) {
                Path global = OffloadCtl.globalSocket(spec);
                managed.serveRpc(socket != null ? socket : global != null ? global : SocketPaths.defaultPath());
            }
            if (metrics != null) {
                managed.serveMetrics(metrics);
            }
            // The JVM halts once its hooks return: the hook waits for the close below, so a stop
            // disconnects hosts cleanly and removes the socket file.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stop.countDown();
                try {
                    closed.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "serve-shutdown"));
            describe(target, managed, out);
            out.flush();
            stop.await();
        } finally {
            closed.countDown();
        }
        return 0;
    }

    /** Where to serve metrics (null: not at all), checked before anything listens. */
    private InetSocketAddress metricsListen() {
        if (metricsPort == null) {
            if (metricsAddress != null) {
                throw new ParameterException(spec.commandLine(), "--metrics-address needs --metrics-port");
            }
            return null;
        }
        if (metricsPort < 0 || metricsPort > 65535) {
            throw new ParameterException(spec.commandLine(), "--metrics-port " + metricsPort + " is not a TCP port (0 to 65535)");
        }
        if (metricsAddress == null) {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), metricsPort);
        }
        String host = metricsAddress.startsWith("[") && metricsAddress.endsWith("]")
                ? metricsAddress.substring(1, metricsAddress.length() - 1) : metricsAddress;
        try {
            return new InetSocketAddress(InetAddress.getByName(host), metricsPort);
        } catch (UnknownHostException e) {
            throw new ParameterException(spec.commandLine(), "--metrics-address " + metricsAddress + " is not an address: " + e.getMessage());
        }
    }

    /** The document to serve and, for the first log line, where it comes from. */
    record Source(String description, JsonNode document) {}

    /** CONFIG; else the default file unless --quickstart; else the quickstart with its adjusting options. */
    Source source() {
        boolean quickstartOptions = address != null || servicePort != null || rdmaAddress != null || ramMib != null;
        if (config != null && quickstart) {
            throw new ParameterException(spec.commandLine(), "--quickstart serves the embedded quickstart; give it or CONFIG, not both");
        }
        if (config != null) {
            if (quickstartOptions) {
                throw new ParameterException(spec.commandLine(),
                        "--address, --port, --rdma-address and --ram-mib adjust the quickstart; with CONFIG, set these in the document");
            }
            return new Source("configuration " + config, ConfigReader.parse(config));
        }
        if (!quickstart && Files.exists(defaultConfig)) {
            if (quickstartOptions) {
                throw new ParameterException(spec.commandLine(), "--address, --port, --rdma-address and --ram-mib adjust the quickstart, "
                        + "but without CONFIG serve serves " + defaultConfig + ", which exists; add --quickstart to serve the quickstart");
            }
            return new Source("configuration " + defaultConfig + " (the default: no CONFIG given)", ConfigReader.parse(defaultConfig));
        }
        String why = quickstart ? "--quickstart" : "no CONFIG given and no " + defaultConfig;
        return new Source("the embedded quickstart (" + why + ")", quickstartDocument());
    }

    private JsonNode quickstartDocument() {
        ObjectNode doc = (ObjectNode) quickstart();
        ObjectNode tcp = (ObjectNode) doc.path("ports").get(0);
        if (address != null) {
            tcp.put("address", address);
        }
        if (servicePort != null) {
            tcp.put("service_id", servicePort);
        }
        if (ramMib != null) {
            ((ObjectNode) doc.path("subsystems").get(0).path("namespaces").get(0).path("store")).put("size", ramMib + "MiB");
        }
        if (rdmaAddress != null) {
            ObjectNode rdma = ((ArrayNode) doc.get("ports")).addObject().put("id", 2).put("transport", "rdma").put("address", rdmaAddress)
                    .put("service_id", tcp.path("service_id").asInt());
            rdma.putArray("subsystems").add(Quickstart.NQN);
        }
        return doc;
    }

    /** The embedded quickstart document: examples/configs/quickstart.json, copied into the jar at build time. */
    static JsonNode quickstart() {
        try (InputStream in = ConfigReader.class.getResourceAsStream("quickstart.json")) {
            if (in == null) {
                throw new IllegalStateException("the embedded quickstart.json is missing from the build");
            }
            return ConfigReader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void describe(TargetConfig target, ManagedTarget managed, PrintWriter out) {
        String provider = target.offloadProvider().name();
        for (PortConfig p : target.ports()) {
            for (String nqn : p.subsystems()) {
                SubsystemConfig s = target.subsystems().stream().filter(x -> x.nqn().equals(nqn)).findFirst().orElseThrow();
                out.printf("serving %s on %s %s:%d (%d namespace(s)); offload: %s%n", nqn, p.transport().id(), p.address(), p.serviceId(),
                        s.namespaces().size(), s.offload() == null ? "none (software path)"
                                : "configured, provider " + provider + " (" + target.offloadProfile().name() + " profile, emulated in user space, not hardware)");
            }
        }
        List<PortConfig> tcp = target.ports().stream().filter(p -> p.transport() == TransportType.TCP && !p.subsystems().isEmpty()).toList();
        if (!tcp.isEmpty()) {
            PortConfig p = tcp.getFirst();
            String host = p.address().equals("0.0.0.0") ? "ADDRESS" : p.address();
            out.println("connect with: nvme connect -t tcp -a " + host + " -s " + p.serviceId() + " -n " + p.subsystems().getFirst());
        }
        out.println("management API: " + (managed.socket() == null ? "off" : managed.socket() + " (offload-ctl status --socket "
                + managed.socket() + ")"));
        InetSocketAddress metrics = managed.metricsAddress();
        if (metrics != null) {
            String host = metrics.getAddress().getHostAddress();
            out.println("metrics: http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + metrics.getPort() + "/metrics");
        }
        out.println("RDMA devices: " + rdmaSummary());
    }

    private static String rdmaSummary() {
        try {
            String reason = Verbs.unavailableReason().orElse(null);
            if (reason != null) {
                return "none (" + reason + "); serving over TCP only";
            }
            return String.join(", ", RdmaDevices.list().stream().map(d -> d.name()).toList())
                    + " (add an rdma port to serve over RDMA too)";
        } catch (RuntimeException | LinkageError e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
