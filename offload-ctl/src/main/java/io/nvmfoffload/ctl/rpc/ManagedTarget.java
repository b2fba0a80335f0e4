package io.nvmfoffload.ctl.rpc;

import io.nvmfoffload.ctl.config.Applier;
import io.nvmfoffload.ctl.config.ConfigService;
import io.nvmfoffload.ctl.config.ProviderConfig;
import io.nvmfoffload.ctl.config.ServerControl;
import io.nvmfoffload.ctl.config.TargetConfig;
import io.nvmfoffload.nvmf.Target;
import io.nvmfoffload.nvmf.server.TargetServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * A serving target with its management plane: the server, the configuration service, the event
 * log, and (once started) the JSON-RPC socket and the optional Prometheus endpoint. Closing stops
 * the management plane first, then the target.
 */
public final class ManagedTarget implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ManagedTarget.class.getName());
    private final TargetServer server;
    private final ConfigService service;
    private final EventLog events = new EventLog();
    private final TargetStatus status;
    private RpcServer rpc;
    private MetricsServer metrics;

    private ManagedTarget(TargetServer server, ProviderConfig provider, OffloadStateSource live) {
        this.server = server;
        this.service = new ConfigService(new ServerControl(server, provider, this::followOffloadEvents));
        this.status = new TargetStatus(service, server, live != null ? live : new OffloadManagerState(server));
        events.providerName(provider.name());
        server.target().addListener(events);
        server.core().addControllerListener(events);
        service.addAppliedListener(plan -> events.providerName(service.control().provider().name()));
        service.addAppliedListener(events);
    }

    /** The offload manager's own events (context created, QP switched, PCI error, timeout, ...) join the log. */
    private void followOffloadEvents() {
        server.offloads().events().follow(e -> events.publish("offload_" + e.kind(), OffloadManagerState.event(e)));
    }

    /**
     * Starts an empty target and applies {@code config} to it (a failed apply leaves it empty and is
     * thrown). The server has the configuration's offload profile before it starts, so an offload
     * manager sees it from the first port on. {@code live} null: the offload manager's state.
     */
    public static ManagedTarget start(TargetConfig config, OffloadStateSource live) {
        TargetServer server = new TargetServer(new Target()).offloadProfile(config.offloadProfile()).start();
        ManagedTarget t = new ManagedTarget(server, config.offloadProvider(), live);
        try {
            // A document of thousands of objects takes a while: the log says where it is, about every 5 s.
            t.service.apply(config, Applier.Progress.every(5000, (done, total, step) -> LOG.log(System.Logger.Level.INFO,
                    "applying the configuration: {0} of {1} steps", done, total)));
            return t;
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
    }

    public ManagedTarget serveRpc(Path socket) throws IOException {
        rpc = RpcServer.start(socket, RpcMethods.dispatcher(service, status, events));
        return this;
    }

    /** Prometheus metrics on loopback, {@code port} (0: any free one). */
    public ManagedTarget serveMetrics(int port) throws IOException {
        return serveMetrics(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    public ManagedTarget serveMetrics(InetSocketAddress address) throws IOException {
        metrics = MetricsServer.start(address, () -> status.stats(true));
        return this;
    }

    public TargetServer server() {
        return server;
    }

    public ConfigService config() {
        return service;
    }

    public TargetStatus status() {
        return status;
    }

    public EventLog events() {
        return events;
    }

    public Path socket() {
        return rpc == null ? null : rpc.path();
    }

    public int metricsPort() {
        return metrics == null ? -1 : metrics.port();
    }

    /** Where the metrics are served, or null. */
    public InetSocketAddress metricsAddress() {
        return metrics == null ? null : metrics.address();
    }

    @Override
    public void close() {
        if (metrics != null) {
            metrics.close();
        }
        if (rpc != null) {
            rpc.close();
        }
        server.close();
    }
}
