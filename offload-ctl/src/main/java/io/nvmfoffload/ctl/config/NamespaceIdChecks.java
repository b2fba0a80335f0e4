package io.nvmfoffload.ctl.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Hosts recognise namespaces by UUID, NGUID and EUI-64: two namespaces must never share one. */
final class NamespaceIdChecks {
    private final List<ConfigError> errors;

    NamespaceIdChecks(List<ConfigError> errors) {
        this.errors = errors;
    }

    void check(List<SubsystemConfig> subsystems, Map<String, String> subsystemAt) {
        unique(subsystems, subsystemAt, "uuid", NamespaceIds::uuid);
        unique(subsystems, subsystemAt, "nguid", NamespaceIds::nguid);
        unique(subsystems, subsystemAt, "eui64", NamespaceIds::eui64);
    }

    private void unique(List<SubsystemConfig> subsystems, Map<String, String> subsystemAt, String key,
                        Function<NamespaceIds, String> id) {
        Map<String, String> first = new HashMap<>();
        for (SubsystemConfig s : subsystems) {
            for (NamespaceConfig ns : s.namespaces()) {
                String v = id.apply(ns.ids());
                if (v == null) {
                    continue;
                }
                String where = s.nqn() + " nsid " + ns.nsid();
                String seen = first.putIfAbsent(v, where);
                if (seen != null) {
                    errors.add(new ConfigError(subsystemAt.get(s.nqn()) + "/namespaces",
                            "nsid " + ns.nsid() + ": " + key + " " + v + " is already used by " + seen + "; expected a unique " + key));
                }
            }
        }
    }
}
