package io.nvmfoffload.target.server;

import io.nvmfoffload.offload.DeviceProfile;
import io.nvmfoffload.target.Port;
import io.nvmfoffload.target.Target;
import io.nvmfoffload.target.TransportType;
import io.nvmfoffload.target.core.TargetCore;
import io.nvmfoffload.target.transport.rdma.RdmaTransport;
import io.nvmfoffload.target.transport.tcp.TcpTransport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A running target: the configuration, the core, and a listener per port. Closing it stops the
 * listeners first (no new hosts), then the controllers, then the stores.
 */
public final class TargetServer implements AutoCloseable {
    private final Target target;
    private final TargetCore core;
    // Copy-on-write: the management API adds and removes listeners while status reads them.
    private final List<TcpTransport> tcp = new CopyOnWriteArrayList<>();
    private final List<RdmaTransport> rdma = new CopyOnWriteArrayList<>();
    private volatile DeviceProfile offloadProfile;

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

    public List<RdmaTransport> rdmaListeners() {
        return List.copyOf(rdma);
    }

    /**
     * Stops the listener of {@code portId} (before the port leaves the configuration); its connected
     * queues are disconnected. No listener for it: nothing happens.
     */
    public void stopListening(int portId) {
        tcp.removeIf(t -> {
            boolean match = t.port().id() == portId;
            if (match) {
                t.close();
            }
            return match;
        });
        rdma.removeIf(r -> {
            boolean match = r.port().id() == portId;
            if (match) {
                r.close();
            }
            return match;
        });
    }

    /**
     * The device profile the emulated offload provider models, or null when no provider offloads
     * (provider "none"). Set from the configuration before ports start; the offload manager reads it.
     */
    public DeviceProfile offloadProfile() {
        return offloadProfile;
    }

    public TargetServer offloadProfile(DeviceProfile profile) {
        this.offloadProfile = profile;
        return this;
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
