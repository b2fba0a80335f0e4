package io.nvmfoffload.ctl.config;

import io.nvmfoffload.offload.DeviceProfile;
import io.nvmfoffload.verbs.nvmf.NvmfCapabilities;

import java.util.List;

/**
 * Reads "offload_provider": {"name": "none"} (the default) or {"name": "emulated", "profile": ...}
 * where the profile is "connectx5-class", "tiny", or an object of capabilities.
 */
final class ProviderReader {
    static final String CUSTOM_PROFILE = "custom";
    private final List<ConfigError> errors;

    ProviderReader(List<ConfigError> errors) {
        this.errors = errors;
    }

    ProviderConfig read(Fields document) {
        if (!document.has("offload_provider")) {
            return ProviderConfig.SOFTWARE_ONLY;
        }
        Fields f = Fields.of(document.raw("offload_provider"), document.at("offload_provider"), ConfigKeys.PROVIDER, errors);
        if (f == null) {
            return null;
        }
        String name = f.string("name", true, null);
        if (name == null) {
            return null;
        }
        switch (name) {
            case ProviderConfig.NONE -> {
                if (f.has("profile")) {
                    f.error("profile", "the none provider offloads nothing and takes no profile; expected no \"profile\" or \"name\": \"emulated\"");
                    return null;
                }
                return ProviderConfig.SOFTWARE_ONLY;
            }
            case ProviderConfig.EMULATED -> {
                DeviceProfile profile = profile(f);
                return profile == null ? null : new ProviderConfig(name, profile);
            }
            default -> {
                f.error("name", "unknown offload provider '" + name + "': expected \"none\" or \"emulated\" (the only providers built in)");
                return null;
            }
        }
    }

    private DeviceProfile profile(Fields f) {
        if (!f.has("profile")) {
            return DeviceProfile.connectX5Class();
        }
        var node = f.raw("profile");
        if (node.isTextual()) {
            try {
                return DeviceProfile.named(node.textValue());
            } catch (IllegalArgumentException e) {
                f.error("profile", e.getMessage() + ", or an object of capabilities");
                return null;
            }
        }
        Fields caps = Fields.of(node, f.at("profile"), ConfigKeys.CAPABILITIES, errors);
        NvmfCapabilities c = caps == null ? null : Capabilities.read(caps, DeviceProfile.connectX5Class().capabilities(), errors);
        return c == null ? null : new DeviceProfile(CUSTOM_PROFILE, c);
    }
}
