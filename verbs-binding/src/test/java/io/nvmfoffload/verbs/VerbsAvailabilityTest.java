package io.nvmfoffload.verbs;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Behaviour on whatever machine runs the build; the RDMA-device cases run in the soft-RoCE guest. */
class VerbsAvailabilityTest {
    @Test
    void availabilityAndItsReasonAgree() {
        assertEquals(Verbs.available(), Verbs.unavailableReason().isEmpty());
        Verbs.unavailableReason().ifPresent(reason -> assertFalse(reason.isBlank()));
    }

    @Test
    void withoutDevicesTheListIsEmptyAndTheReasonSaysWhy() {
        assumeTrue(Verbs.libraryLoaded(), "libibverbs is not installed here");
        assumeFalse(Verbs.available(), "this machine has an RDMA device");

        assertTrue(RdmaDevices.list().isEmpty());
        String reason = Verbs.unavailableReason().orElseThrow();
        assertTrue(reason.contains("ibv_get_device_list") || reason.contains("no RDMA device"), reason);
    }

    @Test
    void openingAMissingDeviceSaysWhichDevicesExistOrWhyNoneDo() {
        assumeTrue(Verbs.libraryLoaded(), "libibverbs is not installed here");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RdmaDevices.open("no-such-device0"));

        assertTrue(e.getMessage().startsWith("no RDMA device named 'no-such-device0'"), e.getMessage());
        assertTrue(e.getMessage().contains("devices: ") || e.getMessage().contains("ibv_get_device_list")
                || e.getMessage().contains("no RDMA device ("), e.getMessage());
    }
}
