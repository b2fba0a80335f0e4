package io.nvmfoffload.nvmf.core;

import io.nvmfoffload.nvmf.Nqn;
import io.nvmfoffload.nvmf.Port;
import io.nvmfoffload.nvmf.Subsystem;
import io.nvmfoffload.nvmf.Target;
import io.nvmfoffload.nvmf.TargetListener;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The transport-independent target: controllers and their lifecycle, and the command sets
 * (fabrics, admin, I/O, discovery) split as nvmet splits them. Transports open {@link NvmfQueue}s on it.
 */
public final class TargetCore implements TargetListener, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TargetCore.class.getName());

    private final Target target;
    private final Map<String, Controller> controllers = new ConcurrentHashMap<>();
    private final AtomicInteger discoveryCntlids = new AtomicInteger(1);
    private final ScheduledExecutorService keepAliveTimer;
    private final FabricsCommands fabrics = new FabricsCommands(this);
    private final AdminCommands admin = new AdminCommands(this);
    private final IoCommands io = new IoCommands();
    private final List<ControllerListener> controllerListeners = new CopyOnWriteArrayList<>();
    private final io.nvmfoffload.nvmf.HostLog refusals = new io.nvmfoffload.nvmf.HostLog(LOG);
    private final io.nvmfoffload.nvmf.HostLog failures = new io.nvmfoffload.nvmf.HostLog(LOG);
    /** Controllers come and go at a host's will: their lines are rate-limited too (the events command keeps them all). */
    private final io.nvmfoffload.nvmf.HostLog lifecycle = new io.nvmfoffload.nvmf.HostLog(LOG);

    /**
     * The IOCCSZ Identify Controller reports to a subsystem's controllers on a port: the port's own,
     * unless what sits below the core takes smaller capsules there. An NVMf offload device does, up
     * to its max_ioccsz, which the vendor's nvmet asks its transport for in the same place.
     */
    @FunctionalInterface
    public interface CapsuleSizes {
        CapsuleSizes PORTS_OWN = (port, subsystem) -> port.ioccsz();

        int ioccsz(Port port, Subsystem subsystem);
    }

    private volatile CapsuleSizes capsuleSizes = CapsuleSizes.PORTS_OWN;

    /** Told when controllers come and go (logs, the events command, the offload manager). */
    public interface ControllerListener {
        default void created(Controller controller) { }

        default void deleted(Controller controller, String reason) { }
    }

    public TargetCore(Target target) {
        this.target = target;
        target.addListener(this);
        keepAliveTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "nvmf-keep-alive");
            t.setDaemon(true);
            return t;
        });
        keepAliveTimer.scheduleWithFixedDelay(this::expireKeepAlives, 500, 500, TimeUnit.MILLISECONDS);
    }

    public Target target() {
        return target;
    }

    FabricsCommands fabrics() {
        return fabrics;
    }

    AdminCommands admin() {
        return admin;
    }

    IoCommands io() {
        return io;
    }

    /** The rate-limited log of commands that failed inside the target. */
    io.nvmfoffload.nvmf.HostLog failures() {
        return failures;
    }

    /** Who says what IOCCSZ a subsystem's controllers on a port report; {@link CapsuleSizes#PORTS_OWN} by default. */
    public void capsuleSizes(CapsuleSizes sizes) {
        capsuleSizes = sizes;
    }

    /** IOCCSZ for a controller of {@code subsystem} (null: discovery) connected on {@code port}. */
    int ioccsz(Port port, Subsystem subsystem) {
        return subsystem == null ? port.ioccsz() : capsuleSizes.ioccsz(port, subsystem);
    }

    public void addControllerListener(ControllerListener listener) {
        controllerListeners.add(listener);
    }

    /** A new, unconnected queue for a transport connection that arrived on {@code port}. */
    public NvmfQueue openQueue(Port port, QueueTransport transport) {
        return new NvmfQueue(this, port, transport);
    }

    private static String key(String subsystemNqn, int cntlid) {
        return subsystemNqn + "#" + cntlid;
    }

    /** Discovery controllers whose host asked for no keep-alive expire after this (nvmet's NVMET_DISC_KATO_MS). */
    static final int DISCOVERY_DEFAULT_KATO_MILLIS = 120_000;

    /**
     * A new controller, or null when the subsystem or the host already has as many controllers as
     * {@link io.nvmfoffload.nvmf.HostLimits} allow (the caller answers Connect Controller Busy).
     */
    Controller createController(Subsystem subsystem, String hostNqn, UUID hostId, Port port, int katoMillis, String peer) {
        boolean discovery = subsystem == null;
        String nqn = discovery ? Nqn.DISCOVERY : subsystem.nqn();
        if (discovery && katoMillis == 0) {
            katoMillis = DISCOVERY_DEFAULT_KATO_MILLIS;
        }
        if (!discovery) {
            synchronized (subsystem) {
                return createWithinLimits(subsystem, hostNqn, hostId, port, katoMillis, peer);
            }
        }
        return register(null, hostNqn, hostId, port, katoMillis);
    }

    /** Counts and registers under the subsystem's lock, so concurrent Connects cannot both pass the limit. */
    private Controller createWithinLimits(Subsystem subsystem, String hostNqn, UUID hostId, Port port, int katoMillis, String peer) {
        io.nvmfoffload.nvmf.HostLimits limits = target.limits();
        int ofSubsystem = 0;
        int ofHost = 0;
        for (Controller c : controllers.values()) {
            if (c.subsystem() == subsystem) {
                ofSubsystem++;
                if (c.hostNqn().equals(hostNqn)) {
                    ofHost++;
                }
            }
        }
        if (ofSubsystem >= limits.maxControllersPerSubsystem() || ofHost >= limits.maxControllersPerHost()) {
            refusals.log(System.Logger.Level.WARNING, "refused a controller of {0} for {1} from {2}: {3}", subsystem.nqn(), hostNqn, peer,
                    ofSubsystem >= limits.maxControllersPerSubsystem()
                            ? "the subsystem has " + ofSubsystem + " controllers (max_controllers_per_subsystem)"
                            : "the host has " + ofHost + " controllers in it (max_controllers_per_host)");
            return null;
        }
        return register(subsystem, hostNqn, hostId, port, katoMillis);
    }

    private Controller register(Subsystem subsystem, String hostNqn, UUID hostId, Port port, int katoMillis) {
        boolean discovery = subsystem == null;
        String nqn = discovery ? Nqn.DISCOVERY : subsystem.nqn();
        Controller ctrl;
        do {
            int cntlid = discovery ? discoveryCntlids.getAndUpdate(id -> id >= 0xFFEF ? 1 : id + 1)
                    : subsystem.nextControllerId();
            ctrl = new Controller(this, cntlid, subsystem, discovery, hostNqn, hostId, port, katoMillis);
        } while (controllers.putIfAbsent(key(nqn, ctrl.cntlid()), ctrl) != null);
        Controller created = ctrl;
        lifecycle.log(System.Logger.Level.INFO, "created {0} on {1}", created, port);
        controllerListeners.forEach(l -> l.created(created));
        return ctrl;
    }

    Controller findController(String subsystemNqn, int cntlid) {
        return controllers.get(key(subsystemNqn, cntlid));
    }

    public List<Controller> controllers() {
        return new ArrayList<>(controllers.values());
    }

    void deleteController(Controller ctrl, String reason) {
        if (controllers.remove(key(ctrl.subsystemNqn(), ctrl.cntlid()), ctrl)) {
            lifecycle.log(System.Logger.Level.INFO, "deleted {0}: {1}", ctrl, reason);
            ctrl.disconnectAll(reason);
            controllerListeners.forEach(l -> l.deleted(ctrl, reason));
        }
    }

    private void expireKeepAlives() {
        long now = System.nanoTime();
        for (Controller ctrl : controllers.values()) {
            if (ctrl.keepAliveExpired(now)) {
                deleteController(ctrl, "keep-alive timer (" + ctrl.katoMillis() + " ms) expired");
            }
        }
    }

    // --- configuration changes become asynchronous events ---

    /**
     * Tells every host connected to a subsystem that the target hit a transient internal error (an
     * Error asynchronous event, which hosts cannot mask), e.g. when a backend failed and its
     * namespaces moved to another path.
     */
    public void reportTransientError(String subsystemNqn) {
        for (Controller ctrl : controllers.values()) {
            if (!ctrl.isDiscovery() && ctrl.subsystemNqn().equals(subsystemNqn)) {
                ctrl.raise(-1, Controller.aenResult(Controller.AEN_TYPE_ERROR, Controller.AEN_INFO_TRANSIENT_INTERNAL_ERROR,
                        Controller.LOG_PAGE_ERROR_INFORMATION));
            }
        }
    }

    @Override
    public void namespaceChanged(Subsystem subsystem, int nsid) {
        for (Controller ctrl : controllers.values()) {
            if (ctrl.subsystem() == subsystem) {
                ctrl.namespaceChanged(nsid);
                ctrl.raise(AdminCommands.AEC_NAMESPACE_ATTRIBUTE, Controller.aenResult(Controller.AEN_TYPE_NOTICE,
                        Controller.AEN_INFO_NS_ATTRIBUTE_CHANGED, 0x04));
            }
        }
    }

    @Override
    public void discoveryChanged(long generation) {
        for (Controller ctrl : controllers.values()) {
            if (ctrl.isDiscovery()) {
                ctrl.raise(AdminCommands.AEC_DISCOVERY_LOG, Controller.aenResult(Controller.AEN_TYPE_NOTICE,
                        Controller.AEN_INFO_DISCOVERY_LOG_CHANGED, 0x70));
            }
        }
    }

    @Override
    public void subsystemRemoved(Subsystem subsystem) {
        for (Controller ctrl : controllers.values()) {
            if (ctrl.subsystem() == subsystem) {
                deleteController(ctrl, subsystem + " was removed");
            }
        }
    }

    @Override
    public void close() {
        keepAliveTimer.shutdownNow();
        for (Controller ctrl : controllers.values()) {
            deleteController(ctrl, "the target is shutting down");
        }
    }
}
