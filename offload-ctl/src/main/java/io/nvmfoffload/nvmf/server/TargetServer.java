package io.nvmfoffload.nvmf.server;

import io.nvmfoffload.offload.DeviceProfile;
import io.nvmfoffload.offload.OffloadManager;
import io.nvmfoffload.offload.emulated.EmulatedNvmfOffloadProvider;
import io.nvmfoffload.nvmf.Port;
import io.nvmfoffload.nvmf.Target;
import io.nvmfoffload.nvmf.TransportType;
import io.nvmfoffload.nvmf.core.TargetCore;
import io.nvmfoffload.nvmf.transport.PortListener;
import io.nvmfoffload.nvmf.transport.rdma.RdmaTransport;
import io.nvmfoffload.nvmf.transport.tcp.TcpTransport;

import io.nvmfoffload.verbs.nvmf.NoneNvmfOffloadProvider;
import io.nvmfoffload.verbs.nvmf.NvmfOffloadProvider;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A running target: the configuration, the core, and a listener per port. Closing it stops the
 * listeners first (no new hosts), then the controllers, then the stores.
 */
public final class TargetServer implements AutoCloseable {
    /** Starts a port's listener for one transport; {@code offloads} makes or returns the target's offload manager. */
    @FunctionalInterface
    private interface ListenerFactory {
        PortListener listen(TargetCore core, Port port, Supplier<OffloadManager> offloads);
    }

    /** One listener factory per transport type, as nvmet keeps one table of fabrics ops per TRTYPE. */
    private static final Map<TransportType, ListenerFactory> TRANSPORTS = new EnumMap<>(Map.of(
            TransportType.RDMA, (core, port, offloads) -> new RdmaTransport(core, port, offloads.get()),
            TransportType.TCP, (core, port, offloads) -> new TcpTransport(core, port)));

    private final Target target;
    private final TargetCore core;
    /** By port id; concurrent: the management API adds and removes listeners while status reads them. */
    private final Map<Integer, PortListener> listeners = new ConcurrentSkipListMap<>();
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
        if (offloads != null && !Objects.equals(profile, offloadProfile)) {
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
        PortListener listener = listeners.remove(portId);
        if (listener != null) {
            listener.close();
        }
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

    /** Every port's listener, by port id. */
    public List<PortListener> listeners() {
        return List.copyOf(listeners.values());
    }

    /** The NVMe/RDMA listeners, by port id. */
    public List<RdmaTransport> rdmaListeners() {
        return listeners(RdmaTransport.class);
    }

    /** The NVMe/TCP listeners, by port id. */
    public List<TcpTransport> tcpListeners() {
        return listeners(TcpTransport.class);
    }

    private <T extends PortListener> List<T> listeners(Class<T> type) {
        return listeners.values().stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Starts a listener for every port of the configuration. */
    public TargetServer start() {
        for (Port port : target.ports()) {
            listen(port);
        }
        return this;
    }

    /** Starts the listener of {@code port} with its transport's factory; a port listens once. */
    public void listen(Port port) {
        ListenerFactory factory = Objects.requireNonNull(TRANSPORTS.get(port.transport()), () -> "no transport for " + port);
        if (listeners.containsKey(port.id())) {
            throw new IllegalStateException(port + " already has a listener");
        }
        AtomicBoolean madeOffloads = new AtomicBoolean();
        try {
            listeners.put(port.id(), factory.listen(core, port, () -> offloadsFor(madeOffloads)));
        } catch (RuntimeException e) {
            // a manager made for a listener that never came up fixes nothing: drop it, so the
            // provider can still change (an apply that fails here undoes its provider step)
            if (madeOffloads.get()) {
                discardOffloads();
            }
            throw e;
        }
    }

    /** The offload manager for a listener being made; {@code made} is set when this call created it. */
    private synchronized OffloadManager offloadsFor(AtomicBoolean made) {
        if (offloads == null) {
            made.set(true);
        }
        return offloads();
    }

    private synchronized void discardOffloads() {
        if (offloads != null) {
            offloads.close();
            offloads = null;
        }
    }

    @Override
    public void close() {
        listeners.values().forEach(PortListener::close);
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
