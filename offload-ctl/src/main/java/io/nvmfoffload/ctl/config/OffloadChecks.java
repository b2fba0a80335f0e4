package io.nvmfoffload.ctl.config;

import io.nvmfoffload.offload.DeviceProfile;
import io.nvmfoffload.offload.OffloadSettings;
import io.nvmfoffload.offload.OffloadValidator;
import io.nvmfoffload.nvmf.TransportType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks every offloaded subsystem against the provider's device profile with the offload
 * package's {@link OffloadValidator}, so the document is refused before anything is created. The
 * IOCCSZ checked is the smallest of the RDMA ports exposing the subsystem (offload only happens
 * there): one above max_ioccsz is lowered to it, one below min_ioccsz cannot be raised.
 * A port that sets offload_passthrough_sqe_rw needs a profile with passthrough_sqe_rw_service, as
 * the vendor's configfs refuses the parameter on a device without it.
 */
final class OffloadChecks {
    private final List<ConfigError> errors;

    OffloadChecks(List<ConfigError> errors) {
        this.errors = errors;
    }

    void check(ProviderConfig provider, List<SubsystemConfig> subsystems, List<PortConfig> ports, Map<String, String> subsystemAt,
               Map<Integer, String> portAt, String providerAt) {
        for (PortConfig p : ports) {
            if (p.offloadPassthroughSqeRw() && !(provider.offloads() && provider.profile().capabilities().passthroughSqeRwService())) {
                errors.add(new ConfigError(portAt.get(p.id()) + "/" + PortConfig.PASSTHROUGH_SQE_RW, "port " + p.id()
                        + " asks for passthrough of read/write SQEs, but "
                        + (provider.offloads() ? "the " + provider.profile().name() + " profile (provider " + provider.name()
                        + ") lacks passthrough_sqe_rw_service" : "the offload provider is \"none\"")
                        + "; expected 0, or a profile with \"passthrough_sqe_rw_service\": true"));
            }
        }
        List<OffloadSettings> all = new ArrayList<>();
        for (SubsystemConfig s : subsystems) {
            if (s.offload() == null) {
                continue;
            }
            String at = subsystemAt.get(s.nqn()) + "/offload";
            if (!provider.offloads()) {
                errors.add(new ConfigError(at, "subsystem " + s.nqn() + " asks for offload but the offload provider is \"none\"; "
                        + "expected /offload_provider {\"name\": \"emulated\"} or \"enabled\": false here"));
                continue;
            }
            DeviceProfile profile = provider.profile();
            OffloadValidator validator = new OffloadValidator(profile.capabilities(), profile.name() + " profile", provider.name());
            OffloadSettings settings = settings(s, ports, profile);
            all.add(settings);
            validator.validate(settings).forEach(problem -> errors.add(new ConfigError(at, problem)));
        }
        if (provider.offloads() && !all.isEmpty()) {
            DeviceProfile profile = provider.profile();
            int total = all.stream().mapToInt(o -> o.namespaceBlockSizes().size()).sum();
            if (total > profile.capabilities().maxBackendCtrlsTotal()) {
                errors.add(new ConfigError(providerAt, total + " offloaded namespaces need as many backend controllers, more than "
                        + "max_backend_ctrls_total " + profile.capabilities().maxBackendCtrlsTotal() + " of the " + profile.name()
                        + " profile (provider " + provider.name() + "); expected fewer offloaded namespaces or another profile"));
            }
        }
    }

    private static OffloadSettings settings(SubsystemConfig s, List<PortConfig> ports, DeviceProfile profile) {
        int ioccsz = ports.stream().filter(p -> p.transport() == TransportType.RDMA && p.subsystems().contains(s.nqn()))
                .mapToInt(p -> p.toPort().ioccsz()).min().orElse(profile.capabilities().maxIoccsz());
        Map<Integer, Integer> blockSizes = new java.util.TreeMap<>();
        s.namespaces().forEach(ns -> blockSizes.put(ns.nsid(), ns.store().blockSize()));
        OffloadConfig o = s.offload();
        return new OffloadSettings(s.nqn(), o.ops(), o.queueDepth(), o.stagingBufferBytes(), ioccsz, o.maxIoSize(),
                o.commandTimeoutUs(), blockSizes);
    }
}
