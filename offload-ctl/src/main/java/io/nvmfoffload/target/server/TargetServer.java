package io.nvmfoffload.target.server;

import io.nvmfoffload.offload.OffloadManager;
import io.nvmfoffload.target.Port;
import io.nvmfoffload.target.Target;
import io.nvmfoffload.target.TransportType;
import io.nvmfoffload.target.core.TargetCore;
import io.nvmfoffload.target.transport.rdma.RdmaTransport;
import io.nvmfoffload.target.transport.tcp.TcpTransport;

import io.nvmfoffload.verbs.nvmf.NvmfOffloadProvider;

import java.util.ArrayList;
import java.util.List;

/**
 * A running target: the configuration, the core, and a listener per port. Closing it stops the
 * listeners first (no new hosts), then the controllers, then the stores.
 */
public final class TargetServer implements AutoCloseable {
    private final Target target;
    private final TargetCore core;
    private final List<TcpTransport> tcp = new ArrayList<>();
    private final List<RdmaTransport> rdma = new ArrayList<>();
    private NvmfOffloadProvider offloadProvider;
    private OffloadManager offloads;

    public TargetServer(Target target) {
        this.target = target;
        this.core = new TargetCore(target);
    }

    public Target target() {
        return target;
    }

    public TargetCore core() {
        return core;
    }

    /**
     * The offload provider for every RDMA device (e.g. the emulated one with a device profile), or
     * null to let {@code NvmfOffloadProviders} choose per device. Set it before {@link #start()}.
     */
    public TargetServer offloadProvider(NvmfOffloadProvider provider) {
        this.offloadProvider = provider;
        return this;
    }

    /** The offload control path: state, counters and events of every offloaded subsystem. */
    public synchronized OffloadManager offloads() {
        if (offloads == null) {
            offloads = new OffloadManager(core, offloadProvider);
        }
        return offloads;
    }

    public List<RdmaTransport> rdmaListeners() {
        return List.copyOf(rdma);
    }

    /** Starts a listener for every port of the configuration. */
    public TargetServer start() {
        for (Port port : target.ports()) {
            listen(port);
        }
        return this;
    }

    public void listen(Port port) {
        if (port.transport() == TransportType.TCP) {
            tcp.add(new TcpTransport(core, port));
        } else {
            rdma.add(new RdmaTransport(core, port, offloads()));
        }
    }

    public List<TcpTransport> tcpListeners() {
        return List.copyOf(tcp);
    }

    @Override
    public void close() {
        tcp.forEach(TcpTransport::close);
        rdma.forEach(RdmaTransport::close);
        if (offloads != null) {
            offloads.close();
        }
        core.close();
        for (var s : target.subsystems()) {
            for (var ns : List.copyOf(s.namespaces())) {
                ns.store().close();
            }
        }
    }
}
