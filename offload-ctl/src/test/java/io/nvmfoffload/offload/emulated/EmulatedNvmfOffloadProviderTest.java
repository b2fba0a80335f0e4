package io.nvmfoffload.offload.emulated;

import io.nvmfoffload.offload.DeviceProfile;
import io.nvmfoffload.verbs.nvmf.NvmfOffloadProviders;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class EmulatedNvmfOffloadProviderTest {
    @Test
    void theServiceLoadersEmulatedProviderHasTheConnectx5ClassProfileAndIsNeverChosenForADeviceOnItsOwn() {
        EmulatedNvmfOffloadProvider p = (EmulatedNvmfOffloadProvider) NvmfOffloadProviders.byName(EmulatedNvmfOffloadProvider.NAME)
                .orElseThrow();
        assertEquals(DeviceProfile.connectX5Class(), p.profile());
        assertFalse(p.supports(null), "only a configuration that names it opens it");
    }
}
