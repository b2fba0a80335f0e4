package io.nvmfoffload.verbs.nvmf;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The three encodings of "offload type" must not be confused. */
class OffloadEncodingsTest {
    @Test
    void readPlusWriteIsMaskThreeButCapabilityBitFourAndFirmwareValueThree() {
        Set<OffloadOp> readWrite = EnumSet.of(OffloadOp.READ, OffloadOp.WRITE);

        assertEquals(3, OffloadOp.toMask(readWrite));
        assertEquals(OffloadTypeCapability.READ_WRITE, OffloadTypeCapability.requiredFor(readWrite));
        assertEquals(4, OffloadTypeCapability.READ_WRITE.bit());
        assertEquals(3, OffloadTypeCapability.READ_WRITE.firmwareValue());
    }

    @Test
    void allOpsNeedTheReadWriteFlushCapability() {
        Set<OffloadOp> all = EnumSet.allOf(OffloadOp.class);
        assertEquals(7, OffloadOp.toMask(all));
        assertEquals(OffloadTypeCapability.READ_WRITE_FLUSH, OffloadTypeCapability.requiredFor(all));
        assertEquals(8, OffloadTypeCapability.READ_WRITE_FLUSH.bit());
    }

    @Test
    void flushWithoutReadAndWriteHasNoCapability() {
        assertNull(OffloadTypeCapability.requiredFor(EnumSet.of(OffloadOp.FLUSH)));
        assertNull(OffloadTypeCapability.requiredFor(EnumSet.of(OffloadOp.FLUSH, OffloadOp.WRITE)));
    }

    @Test
    void bitmapsRoundTripAndUnknownBitsAreRejected() {
        assertEquals(EnumSet.of(OffloadTypeCapability.WRITE, OffloadTypeCapability.READ_WRITE),
                OffloadTypeCapability.fromBitmap(5));
        assertEquals(15, OffloadTypeCapability.toBitmap(EnumSet.allOf(OffloadTypeCapability.class)));
        assertThrows(IllegalArgumentException.class, () -> OffloadTypeCapability.fromBitmap(16));
        assertThrows(IllegalArgumentException.class, () -> OffloadOp.fromMask(8));
        assertEquals(EnumSet.of(OffloadOp.READ, OffloadOp.FLUSH), OffloadOp.fromMask(6));
    }

    @Test
    void capabilitiesSupportOpsOnlyThroughTheMatchingMode() {
        NvmfCapabilities writeOnly = new NvmfCapabilities(Set.of(OffloadTypeCapability.WRITE), Set.of(), 1, 1, 1, 0, 0,
                0, 0, 0, 0, 0, 0, 0, 0, 0, false, false, Set.of(512));

        assertEquals(true, writeOnly.supportsRc(EnumSet.of(OffloadOp.WRITE)));
        assertEquals(false, writeOnly.supportsRc(EnumSet.of(OffloadOp.READ, OffloadOp.WRITE)));
        assertEquals(false, NvmfCapabilities.NONE.offloadSupported());
    }
}
