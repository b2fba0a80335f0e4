package io.nvmfoffload.offload.emulated;

import io.nvmfoffload.offload.DeviceProfile;
import io.nvmfoffload.verbs.DeviceContext;
import io.nvmfoffload.verbs.nvmf.NvmfOffload;
import io.nvmfoffload.verbs.nvmf.NvmfOffloadProvider;
import io.nvmfoffload.verbs.nvmf.NvmfOffloadProviders;

/**
 * The emulated provider: a software model of a NIC's NVMf target offload that works on any verbs
 * device (rxe included) and moves real bytes with real RDMA operations. Its capabilities come from
 * a {@link DeviceProfile} (a ConnectX-5-class model by default), never from the hardware, and
 * everything that shows its state says "emulated".
 *
 * <p>It is chosen only when asked for: by {@code -Dnvmf.offload.provider=emulated} or by a
 * configuration that names it. Its priority is below every real provider's and "none" stays the
 * default otherwise, so a device never looks offload-capable by accident.
 */
public final class EmulatedNvmfOffloadProvider implements NvmfOffloadProvider {
    public static final String NAME = "emulated";
    /** Names the profile, e.g. {@code -Dnvmf.offload.emulated.profile=tiny}. */
    public static final String PROFILE_PROPERTY = "nvmf.offload.emulated.profile";

    private final DeviceProfile profile;

    /** The profile from {@value #PROFILE_PROPERTY}, else connectx5-class (for the service loader). */
    public EmulatedNvmfOffloadProvider() {
        this(DeviceProfile.named(System.getProperty(PROFILE_PROPERTY, DeviceProfile.connectX5Class().name())));
    }

    public EmulatedNvmfOffloadProvider(DeviceProfile profile) {
        this.profile = profile;
    }

    public DeviceProfile profile() {
        return profile;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Below any vendor provider, above nothing: "none" (MIN_VALUE) still wins unless asked. */
    @Override
    public int priority() {
        return Integer.MIN_VALUE + 1;
    }

    /**
     * Any verbs device can be given the emulated offload, but automatic selection only picks it when
     * the system property asks for it; a configuration that names it opens it directly.
     */
    @Override
    public boolean supports(DeviceContext context) {
        return NAME.equals(System.getProperty(NvmfOffloadProviders.PROPERTY));
    }

    @Override
    public NvmfOffload open(DeviceContext context) {
        return new EmulatedNvmfOffload(context, profile.name(), profile.capabilities());
    }
}
