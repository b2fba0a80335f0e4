package io.nvmfoffload.ctl.config;

import io.nvmfoffload.offload.DeviceProfile;
import io.nvmfoffload.verbs.nvmf.NvmfCapabilities;

/**
 * Reads "offload_provider": {"name": "none"} (the default) or {"name": "emulated", "profile": ...}
 * where the profile is "connectx5-class", "connectx5-class-no-last-cqe", "tiny", or an object of capabilities.
 */
final class ProviderReader {
    static final String CUSTOM_PROFILE = "custom";

    ProviderConfig read(Fields document) {
        if (!document.has("offload_provider")) {
            return ProviderConfig.SOFTWARE_ONLY;
        }
        Fields f = document.object("offload_provider", "offload_provider");
        String name = f == null ? null : f.string("name", null);
        if (name == null) {
            return null;
        }
        if (name.equals(ProviderConfig.NONE)) {
            // Two keys: a rule between them is beyond the schema's per-value checks.
            if (f.has("profile")) {
                f.error("profile", "the none provider offloads nothing and takes no profile; expected no \"profile\" or \"name\": \"emulated\"");
                return null;
            }
            return ProviderConfig.SOFTWARE_ONLY;
        }
        DeviceProfile profile = profile(f);
        return profile == null ? null : new ProviderConfig(name, profile);
    }

    private static DeviceProfile profile(Fields f) {
        if (!f.has("profile")) {
            return DeviceProfile.connectX5Class();
        }
        if (f.refused("profile")) {
            return null;
        }
        var node = f.raw("profile");
        if (node.isTextual()) {
            return DeviceProfile.named(node.textValue());
        }
        NvmfCapabilities c = Capabilities.read(f.object("profile", "capabilities"), DeviceProfile.connectX5Class().capabilities());
        return c == null ? null : new DeviceProfile(CUSTOM_PROFILE, c);
    }
}
