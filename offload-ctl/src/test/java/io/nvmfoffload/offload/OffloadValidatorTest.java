package io.nvmfoffload.offload;

import io.nvmfoffload.verbs.nvmf.NvmfCapabilities;
import io.nvmfoffload.verbs.nvmf.OffloadOp;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OffloadValidatorTest {
    private final OffloadValidator tiny = new OffloadValidator(DeviceProfile.tiny().capabilities(), "rxe0", "emulated");

    private static OffloadSettings settings(Map<Integer, Integer> namespaces) {
        return new OffloadSettings("nqn.2026-11.io.test:s", EnumSet.of(OffloadOp.READ, OffloadOp.WRITE), 32, 8L << 20,
                (64 + 4096) / 16, 16L << 10, 0, namespaces);
    }

    private static void assertOneProblemNaming(List<String> problems, String limit) {
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains(limit), problems.get(0));
        assertTrue(problems.get(0).contains("rxe0") && problems.get(0).contains("emulated"), problems.get(0));
    }

    @Test
    void settingsWithinEveryLimitPass() {
        assertEquals(List.of(), tiny.validate(settings(Map.of(1, 512, 2, 4096))));
    }

    @Test
    void tooManyNamespacesNamesMaxSrqNamespacesAndTheBackendLimit() {
        List<String> p = tiny.validate(settings(Map.of(1, 512, 2, 512, 3, 512)));
        assertTrue(p.stream().anyMatch(m -> m.contains("max_srq_namespaces 2")), p.toString());
        assertTrue(p.stream().anyMatch(m -> m.contains("max_srq_backend_ctrls 2")), p.toString());
    }

    @Test
    void nsidAboveTheFrontendBoundNamesMaxFrontendNsid() {
        assertOneProblemNaming(tiny.validate(settings(Map.of(9, 512))), "max_frontend_nsid 8");
    }

    @Test
    void anLbaDataSizeTheProfileDoesNotListNamesLbaDataSizes() {
        assertOneProblemNaming(tiny.validate(settings(Map.of(1, 4104))), "lba_data_sizes [512, 4096]");
        assertEquals(List.of(), tiny.validate(settings(Map.of(1, 256))), "max(block size, 512): mapped as 512");
        OffloadValidator cx5 = new OffloadValidator(DeviceProfile.connectX5Class().capabilities(), "rxe0", "emulated");
        assertEquals(List.of(), cx5.validate(settings(Map.of(1, 4104, 2, 4160))), "data plus metadata on a profile listing it");
    }

    @Test
    void opsOutsideTheCapabilitiesNameTheOffloadType() {
        OffloadSettings flush = new OffloadSettings("nqn.2026-11.io.test:s", EnumSet.allOf(OffloadOp.class), 32, 8L << 20,
                260, 16L << 10, 0, Map.of(1, 512));
        assertOneProblemNaming(tiny.validate(flush), "READ_WRITE_FLUSH");
    }

    @Test
    void queueDepthMustBeAPowerOfTwoWithinBounds() {
        OffloadSettings odd = new OffloadSettings("nqn.2026-11.io.test:s", EnumSet.of(OffloadOp.READ, OffloadOp.WRITE), 48,
                8L << 20, 260, 16L << 10, 0, Map.of(1, 512));
        assertOneProblemNaming(tiny.validate(odd), "max_nvme_queue_depth 64");
    }

    @Test
    void stagingBufferBelowTheMinimumNamesMinStagingBufSize() {
        OffloadSettings small = new OffloadSettings("nqn.2026-11.io.test:s", EnumSet.of(OffloadOp.READ, OffloadOp.WRITE), 32,
                4L << 20, 260, 16L << 10, 0, Map.of(1, 512));
        assertOneProblemNaming(tiny.validate(small), "min_staging_buf_size");
    }

    @Test
    void backendControllersAcrossSubsystemsNameTheDeviceTotal() {
        List<String> p = tiny.validate(List.of(settings(Map.of(1, 512, 2, 512)), settings(Map.of(1, 512))));
        assertOneProblemNaming(p, "max_backend_ctrls_total 2");
    }

    /** The tiny profile with another min_ioccsz and other command timeout bounds (0: the device states none). */
    private static NvmfCapabilities tinyWith(int minIoccsz, long minTimeoutUs, long maxTimeoutUs) {
        NvmfCapabilities t = DeviceProfile.tiny().capabilities();
        return new NvmfCapabilities(t.rcOffloadTypes(), t.dcOffloadTypes(), t.maxBackendCtrlsTotal(), t.maxSrqBackendCtrls(),
                t.maxSrqNamespaces(), t.minStagingBufSize(), t.maxStagingBufSize(), t.maxIoSize(), t.minNvmeQueueDepth(),
                t.maxNvmeQueueDepth(), minIoccsz, t.maxIoccsz(), t.maxIcdoff(), minTimeoutUs, maxTimeoutUs, t.maxFrontendNsid(),
                t.passthroughSqeRwService(), t.qpLastNvmeCqeReached(), t.lbaDataSizes());
    }

    private static NvmfCapabilities timeoutBounds(long minUs, long maxUs) {
        return tinyWith(DeviceProfile.tiny().capabilities().minIoccsz(), minUs, maxUs);
    }

    private static OffloadSettings withIoccsz(int ioccsz) {
        return new OffloadSettings("nqn.2026-11.io.test:s", EnumSet.of(OffloadOp.READ, OffloadOp.WRITE), 32, 8L << 20, ioccsz,
                16L << 10, 0, Map.of(1, 512));
    }

    @Test
    void anIoccszAboveMaxIoccszIsLoweredToItAsTheVendorKernelDoes() {
        NvmfCapabilities caps = DeviceProfile.tiny().capabilities();
        assertEquals(260, OffloadValidator.ioccsz(caps, (64 + 8192) / 16));
        assertEquals(100, OffloadValidator.ioccsz(caps, 100));
        assertEquals(516, OffloadValidator.ioccsz(NvmfCapabilities.NONE, 516), "a max_ioccsz short of a command: the port's");
        assertEquals(List.of(), tiny.validate(withIoccsz((64 + 8192) / 16)), "lowered, not refused");
    }

    @Test
    void anIoccszBelowMinIoccszIsRefusedNotRaised() {
        OffloadValidator minEight = new OffloadValidator(tinyWith(8, 1_000_000L, 60_000_000L), "rxe0", "emulated");
        assertOneProblemNaming(minEight.validate(withIoccsz(4)), "min_ioccsz 8");
        assertEquals(List.of(), minEight.validate(withIoccsz(8)));
    }

    @Test
    void aRequestedCommandTimeoutIsClampedToEachBoundTheDeviceStates() {
        NvmfCapabilities caps = DeviceProfile.tiny().capabilities();
        assertEquals(60_000_000L, OffloadValidator.commandTimeoutUs(caps, 0, 600_000_000L));
        assertEquals(1_000_000L, OffloadValidator.commandTimeoutUs(caps, 0, 10));
        assertEquals(7_000_000L, OffloadValidator.commandTimeoutUs(caps, 0, 7_000_000L));
        assertEquals(600_000_000L, OffloadValidator.commandTimeoutUs(timeoutBounds(1_000_000L, 0), 0, 600_000_000L), "no maximum");
        assertEquals(10, OffloadValidator.commandTimeoutUs(timeoutBounds(0, 0), 0, 10), "no bounds");
    }

    @Test
    void aNamespacesOwnTimeoutWinsOverTheSubsystemsAndIsClampedToo() {
        NvmfCapabilities caps = DeviceProfile.tiny().capabilities();
        assertEquals(5_000_000L, OffloadValidator.commandTimeoutUs(caps, 5_000_000L, 20_000_000L));
        assertEquals(20_000_000L, OffloadValidator.commandTimeoutUs(caps, 0, 20_000_000L), "none of its own: the subsystem's");
        assertEquals(60_000_000L, OffloadValidator.commandTimeoutUs(caps, 90_000_000L, 20_000_000L));
    }

    @Test
    void noneRequestedIsThirtySecondsWithinBothBoundsElseTheDevicesDefault() {
        assertEquals(30_000_000L, OffloadValidator.commandTimeoutUs(DeviceProfile.tiny().capabilities(), 0, 0));
        assertEquals(40_000_000L, OffloadValidator.commandTimeoutUs(timeoutBounds(40_000_000L, 60_000_000L), 0, 0));
        assertEquals(20_000_000L, OffloadValidator.commandTimeoutUs(timeoutBounds(1_000_000L, 20_000_000L), 0, 0));
        assertEquals(0, OffloadValidator.commandTimeoutUs(timeoutBounds(0, 60_000_000L), 0, 0), "one bound: 0, the device's default");
        assertEquals(0, OffloadValidator.commandTimeoutUs(timeoutBounds(0, 0), 0, 0));
    }

    @Test
    void lbaDataSizeFollowsTheShippedFormula() {
        assertEquals(512, OffloadValidator.lbaDataSize(256));
        assertEquals(4096, OffloadValidator.lbaDataSize(4096));
    }
}
