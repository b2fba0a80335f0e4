package io.nvmfoffload.ctl.config;

import io.nvmfoffload.offload.DeviceProfile;
import io.nvmfoffload.nvmf.HostLimits;

import java.util.List;

/**
 * A whole target as the JSON document declares it, in canonical order (hosts sorted, ports by id,
 * subsystems by NQN, namespaces by nsid), so two equal configurations compare equal.
 */
public record TargetConfig(List<String> hosts, List<PortConfig> ports, List<SubsystemConfig> subsystems,
                           ProviderConfig offloadProvider, HostLimits limits) {
    public TargetConfig {
        hosts = hosts.stream().sorted().toList();
        ports = ports.stream().sorted((a, b) -> Integer.compare(a.id(), b.id())).toList();
        subsystems = subsystems.stream().sorted((a, b) -> a.nqn().compareTo(b.nqn())).toList();
        limits = limits == null ? HostLimits.DEFAULTS : limits;
    }

    /** With the default limits. */
    public TargetConfig(List<String> hosts, List<PortConfig> ports, List<SubsystemConfig> subsystems, ProviderConfig offloadProvider) {
        this(hosts, ports, subsystems, offloadProvider, HostLimits.DEFAULTS);
    }

    public static TargetConfig empty(ProviderConfig provider) {
        return new TargetConfig(List.of(), List.of(), List.of(), provider);
    }

    /** The emulated provider's device profile, or null with the none provider. */
    public DeviceProfile offloadProfile() {
        return offloadProvider.profile();
    }
}
