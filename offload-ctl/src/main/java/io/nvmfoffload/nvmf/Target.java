package io.nvmfoffload.nvmf;

import io.nvmfoffload.nvme.store.NamespaceStore;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The target's configuration: hosts, subsystems with their namespaces, ports, and which port
 * exposes which subsystem, as nvmet's configfs tree. Every change that a discovery log shows bumps
 * the generation counter; listeners (the controller registry) turn changes into AENs.
 */
public final class Target {
    private volatile HostLimits limits = HostLimits.DEFAULTS;
    private final Map<String, Subsystem> subsystems = new ConcurrentHashMap<>();
    private final Map<Integer, Port> ports = new ConcurrentHashMap<>();
    private final Map<Integer, Set<String>> exposed = new ConcurrentHashMap<>();
    private final Set<String> hosts = ConcurrentHashMap.newKeySet();
    private final List<TargetListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, NamespaceStore.Subscription> capacityWatches = new ConcurrentHashMap<>();
    private long generation = 1;

    /** Bounds on what hosts can make the target hold; read by the core and the transports. */
    public HostLimits limits() {
        return limits;
    }

    public void limits(HostLimits limits) {
        this.limits = java.util.Objects.requireNonNull(limits, "limits");
    }

    public void addListener(TargetListener listener) {
        listeners.add(listener);
    }

    public synchronized long generation() {
        return generation;
    }

    private void discoveryChanged() {
        long g;
        synchronized (this) {
            g = ++generation;
        }
        listeners.forEach(l -> l.discoveryChanged(g));
    }

    // --- hosts ---

    public void addHost(String hostNqn) {
        Nqn.requireAndAdvise(hostNqn, "host");
        if (!hosts.add(hostNqn)) {
            throw new IllegalArgumentException("host " + hostNqn + " already exists");
        }
    }

    public void removeHost(String hostNqn) {
        for (Subsystem s : subsystems.values()) {
            if (s.allowedHosts().contains(hostNqn)) {
                throw new IllegalStateException("host " + hostNqn + " is still allowed on " + s + "; disallow it first");
            }
        }
        if (!hosts.remove(hostNqn)) {
            throw new IllegalArgumentException("no host " + hostNqn);
        }
    }

    public Set<String> hosts() {
        return Set.copyOf(hosts);
    }

    // --- subsystems ---

    public Subsystem addSubsystem(String nqn, String serial, String model, boolean allowAnyHost) {
        if (Nqn.DISCOVERY.equals(nqn)) {
            throw new IllegalArgumentException(nqn + " is the discovery subsystem; it cannot be created");
        }
        Subsystem s = new Subsystem(nqn, serial, model, allowAnyHost);
        if (subsystems.putIfAbsent(nqn, s) != null) {
            throw new IllegalArgumentException("subsystem " + nqn + " already exists");
        }
        discoveryChanged();
        return s;
    }

    public void removeSubsystem(String nqn) {
        Subsystem s = subsystem(nqn);
        for (Map.Entry<Integer, Set<String>> e : exposed.entrySet()) {
            if (e.getValue().contains(nqn)) {
                throw new IllegalStateException(s + " is still exposed on " + ports.get(e.getKey()) + "; unlink it first");
            }
        }
        listeners.forEach(l -> l.subsystemRemoved(s));
        for (TargetNamespace ns : List.copyOf(s.namespaces())) {
            removeNamespace(nqn, ns.nsid());
        }
        subsystems.remove(nqn);
        discoveryChanged();
    }

    public Subsystem subsystem(String nqn) {
        Subsystem s = subsystems.get(nqn);
        if (s == null) {
            throw new IllegalArgumentException("no subsystem " + nqn);
        }
        return s;
    }

    public Optional<Subsystem> findSubsystem(String nqn) {
        return Optional.ofNullable(subsystems.get(nqn));
    }

    public Collection<Subsystem> subsystems() {
        return new TreeMap<>(subsystems).values();
    }

    /**
     * Turns offload on (settings) or off (null) for a subsystem. As in the vendor's nvmet, the switch
     * can only change while no port exposes the subsystem (so no controller is connected to it).
     */
    public void setOffload(String subsystemNqn, SubsystemOffload offload) {
        Subsystem s = subsystem(subsystemNqn);
        List<Integer> on = exposed.entrySet().stream().filter(e -> e.getValue().contains(subsystemNqn)).map(Map.Entry::getKey)
                .sorted().toList();
        if (!on.isEmpty()) {
            throw new IllegalStateException("subsystem " + subsystemNqn + ": offload can only change while no port exposes it; "
                    + "it is linked to port(s) " + on);
        }
        s.offload(offload);
    }

    public void allowHost(String subsystemNqn, String hostNqn) {
        if (!hosts.contains(hostNqn)) {
            throw new IllegalArgumentException("no host " + hostNqn + "; add the host before allowing it on " + subsystemNqn);
        }
        subsystem(subsystemNqn).allowHost(hostNqn);
        discoveryChanged();
    }

    public void disallowHost(String subsystemNqn, String hostNqn) {
        if (!subsystem(subsystemNqn).disallowHost(hostNqn)) {
            throw new IllegalArgumentException("host " + hostNqn + " is not allowed on " + subsystemNqn);
        }
        discoveryChanged();
    }

    public void allowAnyHost(String subsystemNqn, boolean allow) {
        subsystem(subsystemNqn).allowAnyHost(allow);
        discoveryChanged();
    }

    // --- namespaces ---

    public void addNamespace(String subsystemNqn, int nsid, NamespaceStore store) {
        addNamespace(subsystemNqn, nsid, store, 0);
    }

    /** A namespace whose backend controllers get {@code offloadCommandTimeoutUs} (0: the subsystem's) where it is offloaded. */
    public void addNamespace(String subsystemNqn, int nsid, NamespaceStore store, long offloadCommandTimeoutUs) {
        Subsystem s = subsystem(subsystemNqn);
        s.addNamespace(new TargetNamespace(nsid, store, offloadCommandTimeoutUs));
        capacityWatches.put(subsystemNqn + "#" + nsid,
                store.addCapacityListener((st, oldBlocks, newBlocks) -> listeners.forEach(l -> l.namespaceChanged(s, nsid))));
        listeners.forEach(l -> l.namespaceChanged(s, nsid));
    }

    /**
     * Sets a namespace's offload command timeout (0: the subsystem's). The backend controllers
     * created for it from then on get it: on a port that starts offloading the subsystem, and when
     * one is recreated after a timeout or recovered after a PCI error; one serving it now keeps its
     * own. Hosts see no change, so none is told.
     */
    public void setOffloadCommandTimeout(String subsystemNqn, int nsid, long offloadCommandTimeoutUs) {
        Subsystem s = subsystem(subsystemNqn);
        TargetNamespace ns = s.namespace(nsid);
        if (ns == null || !s.replaceNamespace(ns.withOffloadCommandTimeoutUs(offloadCommandTimeoutUs))) {
            throw new IllegalArgumentException(s + " has no namespace " + nsid);
        }
    }

    /** Detaches a namespace and returns its store (the caller decides whether to close it). */
    public NamespaceStore removeNamespace(String subsystemNqn, int nsid) {
        Subsystem s = subsystem(subsystemNqn);
        TargetNamespace ns = s.removeNamespace(nsid);
        if (ns == null) {
            throw new IllegalArgumentException(s + " has no namespace " + nsid);
        }
        NamespaceStore.Subscription watch = capacityWatches.remove(subsystemNqn + "#" + nsid);
        if (watch != null) {
            watch.close();
        }
        listeners.forEach(l -> l.namespaceChanged(s, nsid));
        return ns.store();
    }

    // --- ports ---

    public void addPort(Port port) {
        for (Port other : ports.values()) {
            if (other.transport() == port.transport() && other.address().equals(port.address())
                    && other.serviceId() == port.serviceId()) {
                throw new IllegalArgumentException(port + " listens where " + other + " already does");
            }
        }
        if (ports.putIfAbsent(port.id(), port) != null) {
            throw new IllegalArgumentException("port " + port.id() + " already exists");
        }
        exposed.put(port.id(), ConcurrentHashMap.newKeySet());
        discoveryChanged();
    }

    public void removePort(int portId) {
        if (!exposed.getOrDefault(portId, Set.of()).isEmpty()) {
            throw new IllegalStateException(port(portId) + " still exposes " + exposed.get(portId) + "; unlink them first");
        }
        if (ports.remove(portId) == null) {
            throw new IllegalArgumentException("no port " + portId);
        }
        exposed.remove(portId);
        discoveryChanged();
    }

    public Port port(int portId) {
        Port p = ports.get(portId);
        if (p == null) {
            throw new IllegalArgumentException("no port " + portId);
        }
        return p;
    }

    public Collection<Port> ports() {
        return new TreeMap<>(ports).values();
    }

    /** Exposes a subsystem on a port (nvmet: the symlink ports/N/subsystems/NQN). */
    public void link(int portId, String subsystemNqn) {
        port(portId);
        subsystem(subsystemNqn);
        if (!exposed.get(portId).add(subsystemNqn)) {
            throw new IllegalArgumentException("subsystem " + subsystemNqn + " is already exposed on port " + portId);
        }
        discoveryChanged();
    }

    public void unlink(int portId, String subsystemNqn) {
        port(portId);
        if (!exposed.get(portId).remove(subsystemNqn)) {
            throw new IllegalArgumentException("subsystem " + subsystemNqn + " is not exposed on port " + portId);
        }
        discoveryChanged();
    }

    public boolean isExposed(int portId, String subsystemNqn) {
        return exposed.getOrDefault(portId, Set.of()).contains(subsystemNqn);
    }

    /** Subsystems exposed on {@code portId}, in NQN order. */
    public List<Subsystem> exposedOn(int portId) {
        return exposed.getOrDefault(portId, Set.of()).stream().sorted().map(subsystems::get).toList();
    }
}
