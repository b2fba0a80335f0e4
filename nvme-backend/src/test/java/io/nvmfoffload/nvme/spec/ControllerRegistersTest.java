package io.nvmfoffload.nvme.spec;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ControllerRegistersTest {

    @Test
    void capEncodesMqesCqrTimeoutStrideCssAndPageSizes() {
        long cap = ControllerRegisters.cap(1023, true, 20, 2, 0, 4);
        assertEquals(1024, ControllerRegisters.capMqes(cap));
        assertTrue(ControllerRegisters.capCqr(cap));
        assertEquals(20, ControllerRegisters.capTimeout(cap));
        assertEquals(2, ControllerRegisters.capDstrd(cap));
        assertEquals(1, ControllerRegisters.capCss(cap));
        assertEquals(4, ControllerRegisters.capMpsMax(cap));
        assertEquals(1023 | 1L << 16 | 20L << 24 | 2L << 32 | 1L << 37 | 4L << 52, cap);
    }

    @Test
    void doorbellsFollowTheStride() {
        assertEquals(0x1000, ControllerRegisters.sqTailDoorbell(0, 0));
        assertEquals(0x1004, ControllerRegisters.cqHeadDoorbell(0, 0));
        assertEquals(0x1008, ControllerRegisters.sqTailDoorbell(1, 0));
        assertEquals(0x100C, ControllerRegisters.cqHeadDoorbell(1, 0));
        assertEquals(0x1020, ControllerRegisters.sqTailDoorbell(1, 2));
        assertEquals(0x1030, ControllerRegisters.cqHeadDoorbell(1, 2));
    }

    @Test
    void aqaAndCcFieldsAreEncodedAsTheSpecSays() {
        int aqa = ControllerRegisters.aqa(32, 64);
        assertEquals(31 | 63 << 16, aqa);
        assertEquals(64, ControllerRegisters.aqaAcqEntries(aqa));
        int cc = ControllerRegisters.ccEnable(0, 6, 4);
        assertEquals(1 | 6 << 16 | 4 << 20, cc);
        assertEquals(0x00020000, ControllerRegisters.version(2, 0, 0));
    }

    @Test
    void registersAreAtTheirOffsetsInTheBar() {
        try (Arena a = Arena.ofConfined()) {
            var bar = a.allocate(0x2000, 4096);
            ControllerRegisters r = new ControllerRegisters(bar);
            r.aqa(0x00070007);
            r.asq(0x1000_0000L);
            r.acq(0x2000_0000L);
            r.cc(1);
            r.ringSqTail(1, 0, 5);
            assertEquals(0x00070007, Le.u32(bar, 0x24));
            assertEquals(0x1000_0000L, Le.u64(bar, 0x28));
            assertEquals(0x2000_0000L, Le.u64(bar, 0x30));
            assertEquals(1, Le.u32(bar, 0x14));
            assertEquals(5, Le.u32(bar, 0x1008));
            assertEquals(ControllerRegisters.CSTS_CFS | 1, r.deviceUpdateCsts(0, ControllerRegisters.CSTS_CFS | 1));
            assertEquals(ControllerRegisters.CSTS_CFS, r.deviceUpdateCsts(1, 0));
        }
    }
}
