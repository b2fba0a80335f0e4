package io.nvmfoffload.ctl.config;

import java.util.List;

/** A subsystem with its hosts, namespaces and offload request (null offload: software only). */
public record SubsystemConfig(String nqn, String serial, String model, boolean allowAnyHost, List<String> allowedHosts,
                              List<NamespaceConfig> namespaces, OffloadConfig offload) {
    public SubsystemConfig {
        allowedHosts = allowedHosts.stream().sorted().toList();
        namespaces = namespaces.stream().sorted((a, b) -> Integer.compare(a.nsid(), b.nsid())).toList();
    }

    /** Serial and model are fixed for a subsystem's lifetime (Identify Controller): a change recreates it. */
    public boolean sameIdentity(SubsystemConfig other) {
        return serial.equals(other.serial) && model.equals(other.model);
    }
}
