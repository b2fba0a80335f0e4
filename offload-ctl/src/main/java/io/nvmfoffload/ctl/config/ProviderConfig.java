package io.nvmfoffload.ctl.config;

import io.nvmfoffload.offload.DeviceProfile;

/**
 * Which offload provider serves offloaded subsystems: "none" (software only) or "emulated" with the
 * device profile it models. Every output naming offload state names this provider.
 */
public record ProviderConfig(String name, DeviceProfile profile) {
    public static final String NONE = "none";
    public static final String EMULATED = "emulated";
    public static final ProviderConfig SOFTWARE_ONLY = new ProviderConfig(NONE, null);

    public static ProviderConfig of(DeviceProfile profile) {
        return profile == null ? SOFTWARE_ONLY : new ProviderConfig(EMULATED, profile);
    }

    public boolean offloads() {
        return profile != null;
    }
}
