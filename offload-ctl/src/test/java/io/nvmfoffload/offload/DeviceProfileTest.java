package io.nvmfoffload.offload;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeviceProfileTest {
    @Test
    void theNoLastCqeProfileIsTheConnectx5ClassModelWithoutThatEventAlone() {
        DeviceProfile with = DeviceProfile.connectX5Class();
        DeviceProfile without = DeviceProfile.named("connectx5-class-no-last-cqe");
        assertEquals(DeviceProfile.connectX5ClassWithoutLastCqe(), without);
        assertTrue(with.capabilities().qpLastNvmeCqeReached());
        assertFalse(without.capabilities().qpLastNvmeCqeReached());
        assertEquals(with.capabilities().toString().replace("qpLastNvmeCqeReached=true", "qpLastNvmeCqeReached=false"),
                without.capabilities().toString());
    }
}
