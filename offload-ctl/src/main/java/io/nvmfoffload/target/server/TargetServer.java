package io.nvmfoffload.target.server;

import io.nvmfoffload.target.Port;
import io.nvmfoffload.target.Target;
import io.nvmfoffload.target.TransportType;
import io.nvmfoffload.target.core.TargetCore;
import io.nvmfoffload.target.transport.rdma.RdmaTransport;
import io.nvmfoffload.target.transport.tcp.TcpTransport;

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
            rdma.add(new RdmaTransport(core, port));
        }
    }

    public List<TcpTransport> tcpListeners() {
        return List.copyOf(tcp);
    }

    @Override
    public void close() {
        tcp.forEach(TcpTransport::close);
        rdma.forEach(RdmaTransport::close);
        core.close();
        for (var s : target.subsystems()) {
            for (var ns : List.copyOf(s.namespaces())) {
                ns.store().close();
            }
        }
    }
}
