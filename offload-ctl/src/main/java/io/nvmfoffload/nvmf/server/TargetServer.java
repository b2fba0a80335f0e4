package io.nvmfoffload.nvmf.server;

import io.nvmfoffload.offload.DeviceProfile;
import io.nvmfoffload.offload.OffloadManager;
import io.nvmfoffload.offload.emulated.EmulatedNvmfOffloadProvider;
import io.nvmfoffload.nvmf.Port;
import io.nvmfoffload.nvmf.Target;
import io.nvmfoffload.nvmf.TransportType;
import io.nvmfoffload.nvmf.core.TargetCore;
import io.nvmfoffload.nvmf.transport.rdma.RdmaTransport;
import io.nvmfoffload.nvmf.transport.tcp.TcpTransport;

import io.nvmfoffload.verbs.nvmf.NoneNvmfOffloadProvider;
import io.nvmfoffload.verbs.nvmf.NvmfOffloadProvider;

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
    private NvmfOffloadProvider offloadProvider;
    private DeviceProfile offloadProfile;
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

    /**
     * The configuration's choice of provider: the emulated provider with {@code profile}, or no
     * offload at all (null: the none provider, so a configuration that says "none" never offloads).
     * The offload manager takes its provider when the first RDMA port starts; after that the choice
     * cannot change and a different one is refused.
     */
    public synchronized TargetServer offloadProfile(DeviceProfile profile) {
        if (offloads != null && !java.util.Objects.equals(profile, offloadProfile)) {
            throw new IllegalStateException("the offload provider can only change before the first RDMA port starts; "
                    + "restart serve with the new offload_provider");
        }
        this.offloadProfile = profile;
        this.offloadProvider = profile == null ? new NoneNvmfOffloadProvider() : new EmulatedNvmfOffloadProvider(profile);
        return this;
    }

    /** The device profile set with {@link #offloadProfile(DeviceProfile)}, or null. */
    public synchronized DeviceProfile offloadProfile() {
        return offloadProfile;
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

    /** The offload manager if an RDMA port has started one, else null (reading status must not create it). */
    public synchronized OffloadManager offloadsIfStarted() {
        return offloads;
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
            return;
        }
        boolean firstOffloadUse = offloadsIfStarted() == null;
        try {
            rdma.add(new RdmaTransport(core, port, offloads()));
        } catch (RuntimeException e) {
            // a manager made for a listener that never came up fixes nothing: drop it, so the
            // provider can still change (an apply that fails here undoes its provider step)
            if (firstOffloadUse) {
                discardOffloads();
            }
            throw e;
        }
    }

    private synchronized void discardOffloads() {
        if (offloads != null) {
            offloads.close();
            offloads = null;
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
