package io.nvmfoffload.ctl.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Computes the steps from the running configuration to the desired one, touching only the
 * difference. Removals come first and in reverse dependency order (unlink, ports, namespaces,
 * hosts' access, subsystems, hosts); then additions in nvmetcli's restore order: hosts, subsystems
 * (with access, offload, namespaces), ports, links. What the model cannot change in place is
 * recreated: a subsystem whose serial or model changed, a port whose listener changed. Offload can
 * only change while no port exposes the subsystem, so its links are dropped and restored around it.
 */
public final class Planner {
    private record LinkKey(int port, String nqn) implements Comparable<LinkKey> {
        @Override
        public int compareTo(LinkKey o) {
            int c = Integer.compare(port, o.port);
            return c != 0 ? c : nqn.compareTo(o.nqn);
        }
    }

    private final TargetConfig current;
    private final TargetConfig desired;
    private final List<Step> steps = new ArrayList<>();

    private Planner(TargetConfig current, TargetConfig desired) {
        this.current = current;
        this.desired = desired;
    }

    public static Plan plan(TargetConfig current, TargetConfig desired) {
        Planner p = new Planner(current, desired);
        p.build();
        return new Plan(p.steps);
    }

    private void build() {
        Map<String, SubsystemConfig> cs = index(current.subsystems(), SubsystemConfig::nqn);
        Map<String, SubsystemConfig> ds = index(desired.subsystems(), SubsystemConfig::nqn);
        Map<Integer, PortConfig> cp = index(current.ports(), PortConfig::id);
        Map<Integer, PortConfig> dp = index(desired.ports(), PortConfig::id);
        boolean providerChanged = !current.offloadProvider().equals(desired.offloadProvider());

        Set<String> recreated = new TreeSet<>();
        Set<String> offloadChanged = new TreeSet<>();
        for (SubsystemConfig d : ds.values()) {
            SubsystemConfig c = cs.get(d.nqn());
            if (c == null) {
                continue;
            }
            if (!c.sameIdentity(d)) {
                recreated.add(d.nqn());
            } else if (!Objects.equals(c.offload(), d.offload())
                    || providerChanged && (c.offload() != null || d.offload() != null)) {
                offloadChanged.add(d.nqn());
            }
        }
        Set<String> removedSubs = new TreeSet<>(recreated);
        cs.keySet().stream().filter(n -> !ds.containsKey(n)).forEach(removedSubs::add);
        Set<String> addedSubs = new TreeSet<>(recreated);
        ds.keySet().stream().filter(n -> !cs.containsKey(n)).forEach(addedSubs::add);
        Set<Integer> recreatedPorts = new TreeSet<>();
        dp.values().stream().filter(d -> cp.containsKey(d.id()) && !cp.get(d.id()).sameListener(d)).forEach(d -> recreatedPorts.add(d.id()));
        Set<Integer> removedPorts = new TreeSet<>(recreatedPorts);
        cp.keySet().stream().filter(id -> !dp.containsKey(id)).forEach(removedPorts::add);
        Set<Integer> addedPorts = new TreeSet<>(recreatedPorts);
        dp.keySet().stream().filter(id -> !cp.containsKey(id)).forEach(addedPorts::add);

        Set<LinkKey> currentLinks = links(current);
        Set<LinkKey> desiredLinks = links(desired);
        for (LinkKey l : currentLinks) {
            if (!desiredLinks.contains(l) || removedPorts.contains(l.port()) || removedSubs.contains(l.nqn())
                    || offloadChanged.contains(l.nqn())) {
                steps.add(Steps.unlink(l.port(), l.nqn()));
            }
        }
        removedPorts.forEach(id -> steps.add(Steps.removePort(cp.get(id))));
        for (SubsystemConfig c : cs.values()) {
            SubsystemConfig d = removedSubs.contains(c.nqn()) ? null : ds.get(c.nqn());
            removeContents(c, d);
            if (d == null) {
                steps.add(Steps.removeSubsystem(c));
            }
        }
        Set<String> desiredHosts = new HashSet<>(desired.hosts());
        current.hosts().stream().filter(h -> !desiredHosts.contains(h)).forEach(h -> steps.add(Steps.removeHost(h)));
        if (providerChanged) {
            steps.add(Steps.setProvider(desired.offloadProvider(), current.offloadProvider()));
        }
        if (!current.limits().equals(desired.limits())) {
            steps.add(Steps.setLimits(desired.limits(), current.limits()));
        }
        Set<String> currentHosts = new HashSet<>(current.hosts());
        desired.hosts().stream().filter(h -> !currentHosts.contains(h)).forEach(h -> steps.add(Steps.addHost(h)));
        for (SubsystemConfig d : ds.values()) {
            SubsystemConfig c = addedSubs.contains(d.nqn()) ? null : cs.get(d.nqn());
            addContents(c, d, offloadChanged.contains(d.nqn()));
        }
        addedPorts.forEach(id -> steps.add(Steps.addPort(dp.get(id))));
        for (LinkKey l : desiredLinks) {
            if (!currentLinks.contains(l) || addedPorts.contains(l.port()) || addedSubs.contains(l.nqn())
                    || offloadChanged.contains(l.nqn())) {
                steps.add(Steps.link(l.port(), l.nqn()));
            }
        }
    }

    /** Namespaces and host access of running subsystem {@code c} that desired {@code d} (null: none) lacks. */
    private void removeContents(SubsystemConfig c, SubsystemConfig d) {
        Map<Integer, NamespaceConfig> keep = d == null ? Map.of() : index(d.namespaces(), NamespaceConfig::nsid);
        for (NamespaceConfig ns : c.namespaces()) {
            NamespaceConfig want = keep.get(ns.nsid());
            if (want == null || !want.satisfiedBy(ns)) {
                steps.add(new Steps.RemoveNamespace(c.nqn(), ns.nsid()));
            }
        }
        Set<String> allowed = d == null ? Set.of() : new HashSet<>(d.allowedHosts());
        c.allowedHosts().stream().filter(h -> !allowed.contains(h)).forEach(h -> steps.add(Steps.disallowHost(c.nqn(), h)));
    }

    /** What desired {@code d} adds to running {@code c} (null: the subsystem is new). */
    private void addContents(SubsystemConfig c, SubsystemConfig d, boolean offloadChanged) {
        if (c == null) {
            steps.add(Steps.addSubsystem(d));
        } else if (c.allowAnyHost() != d.allowAnyHost()) {
            steps.add(Steps.setAllowAnyHost(d.nqn(), d.allowAnyHost()));
        }
        Set<String> allowed = c == null ? Set.of() : new HashSet<>(c.allowedHosts());
        d.allowedHosts().stream().filter(h -> !allowed.contains(h)).forEach(h -> steps.add(Steps.allowHost(d.nqn(), h)));
        OffloadConfig before = c == null ? null : c.offload();
        if ((c == null || offloadChanged) && !Objects.equals(before, d.offload())) {
            steps.add(Steps.setOffload(d.nqn(), d.offload(), before));
        }
        Map<Integer, NamespaceConfig> running = c == null ? Map.of() : index(c.namespaces(), NamespaceConfig::nsid);
        for (NamespaceConfig ns : d.namespaces()) {
            NamespaceConfig have = running.get(ns.nsid());
            if (have == null || !ns.satisfiedBy(have)) {
                steps.add(new Steps.AddNamespace(d.nqn(), ns));
            } else if (have.offloadCommandTimeoutUs() != ns.offloadCommandTimeoutUs()) {
                steps.add(Steps.setNamespaceOffloadTimeout(d.nqn(), ns.nsid(), ns.offloadCommandTimeoutUs(),
                        have.offloadCommandTimeoutUs()));
            }
        }
    }

    private static Set<LinkKey> links(TargetConfig config) {
        Set<LinkKey> links = new TreeSet<>();
        config.ports().forEach(p -> p.subsystems().forEach(n -> links.add(new LinkKey(p.id(), n))));
        return links;
    }

    private static <K, V> Map<K, V> index(List<V> values, Function<V, K> key) {
        Map<K, V> m = new LinkedHashMap<>();
        values.forEach(v -> m.put(key.apply(v), v));
        return m;
    }
}
