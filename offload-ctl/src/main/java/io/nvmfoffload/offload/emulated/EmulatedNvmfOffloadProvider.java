package io.nvmfoffload.offload.emulated;

import io.nvmfoffload.offload.DeviceProfile;
import io.nvmfoffload.verbs.DeviceContext;
import io.nvmfoffload.verbs.nvmf.NvmfOffload;
import io.nvmfoffload.verbs.nvmf.NvmfOffloadProvider;

/**
 * The emulated provider: a software model of a NIC's NVMf target offload that works on any verbs
 * device (rxe included) and moves real bytes with real RDMA operations. Its capabilities come from
 * a {@link DeviceProfile} (a ConnectX-5-class model by default), never from the hardware, and
 * everything that shows its state says "emulated".
 *
 * <p>It is chosen only when asked for: by a configuration that names it (the document's
 * {@code offload_provider}, with its profile). It never supports a device on its own, so "none"
 * stays the default and a device never looks offload-capable by accident.
 */
public final class EmulatedNvmfOffloadProvider implements NvmfOffloadProvider {
    public static final String NAME = "emulated";

    private final DeviceProfile profile;

    /** With the connectx5-class profile (for the service loader). */
    public EmulatedNvmfOffloadProvider() {
        this(DeviceProfile.connectX5Class());
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

    /** Below any vendor provider, above "none" (MIN_VALUE). */
    @Override
    public int priority() {
        return Integer.MIN_VALUE + 1;
    }

    /**
     * Any verbs device can be given the emulated offload, but the choice per device never picks it:
     * a configuration that names it opens it directly.
     */
    @Override
    public boolean supports(DeviceContext context) {
        return false;
    }

    @Override
    public NvmfOffload open(DeviceContext context) {
        return new EmulatedNvmfOffload(context, profile.name(), profile.capabilities());
    }
}
