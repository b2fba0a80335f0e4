package io.nvmfoffload.nvmf;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An NVM subsystem: its namespaces and the hosts allowed to connect. Changes go through
 * {@link Target}, which counts them in the discovery generation and tells connected controllers.
 */
public final class Subsystem {
    private final String nqn;
    private final String serial;
    private final String model;
    private volatile boolean allowAnyHost;
    private final Set<String> allowedHosts = ConcurrentHashMap.newKeySet();
    private final Map<Integer, TargetNamespace> namespaces = new ConcurrentSkipListMap<>();
    private final AtomicInteger nextCntlid = new AtomicInteger(1);
    private volatile SubsystemOffload offload;

    public Subsystem(String nqn, String serial, String model, boolean allowAnyHost) {
        this.nqn = Nqn.requireAndAdvise(nqn, "subsystem");
        if (Nqn.DISCOVERY.equals(nqn)) {
            throw new IllegalArgumentException("subsystem NQN " + nqn + " is the discovery subsystem's own name");
        }
        if (serial == null || serial.isEmpty() || serial.length() > 20 || !serial.chars().allMatch(c -> c >= 0x20 && c < 0x7F)) {
            throw new IllegalArgumentException("subsystem " + nqn + ": serial '" + serial + "' must be 1-20 printable ASCII characters");
        }
        if (model == null || model.isEmpty() || model.length() > 40 || !model.chars().allMatch(c -> c >= 0x20 && c < 0x7F)) {
            throw new IllegalArgumentException("subsystem " + nqn + ": model '" + model + "' must be 1-40 printable ASCII characters");
        }
        this.serial = serial;
        this.model = model;
        this.allowAnyHost = allowAnyHost;
    }

    public String nqn() {
        return nqn;
    }

    public String serial() {
        return serial;
    }

    public String model() {
        return model;
    }

    public boolean allowAnyHost() {
        return allowAnyHost;
    }

    void allowAnyHost(boolean allow) {
        this.allowAnyHost = allow;
    }

    /** The offload this subsystem asks for, or null when it is served by software only. */
    public SubsystemOffload offload() {
        return offload;
    }

    void offload(SubsystemOffload offload) {
        this.offload = offload;
    }

    public Set<String> allowedHosts() {
        return Set.copyOf(allowedHosts);
    }

    void allowHost(String hostNqn) {
        allowedHosts.add(hostNqn);
    }

    boolean disallowHost(String hostNqn) {
        return allowedHosts.remove(hostNqn);
    }

    public boolean admits(String hostNqn) {
        return allowAnyHost || allowedHosts.contains(hostNqn);
    }

    public TargetNamespace namespace(int nsid) {
        return namespaces.get(nsid);
    }

    public Collection<TargetNamespace> namespaces() {
        return namespaces.values();
    }

    /** Active NSIDs in increasing order. */
    public int[] activeNsids() {
        return namespaces.keySet().stream().mapToInt(Integer::intValue).toArray();
    }

    /** The largest NSID the subsystem may hold (Identify Controller NN); nvmet reports a fixed 1024. */
    public int maxNamespaces() {
        return 1024;
    }

    void addNamespace(TargetNamespace ns) {
        if (ns.nsid() > maxNamespaces()) {
            throw new IllegalArgumentException("subsystem " + nqn + ": nsid " + ns.nsid() + " exceeds the maximum " + maxNamespaces());
        }
        if (namespaces.putIfAbsent(ns.nsid(), ns) != null) {
            throw new IllegalArgumentException("subsystem " + nqn + " already has namespace " + ns.nsid());
        }
    }

    TargetNamespace removeNamespace(int nsid) {
        return namespaces.remove(nsid);
    }

    /** Puts {@code ns} in the place of the namespace with its nsid; false if there is none. */
    boolean replaceNamespace(TargetNamespace ns) {
        return namespaces.replace(ns.nsid(), ns) != null;
    }

    /** Dynamic controller model: ids from 1 upward, wrapping below the reserved 0xFFF0. */
    public int nextControllerId() {
        return nextCntlid.getAndUpdate(id -> id >= 0xFFEF ? 1 : id + 1);
    }

    @Override
    public String toString() {
        return "subsystem " + nqn;
    }
}
