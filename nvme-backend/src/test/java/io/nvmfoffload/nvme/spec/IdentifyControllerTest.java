package io.nvmfoffload.nvme.spec;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class IdentifyControllerTest {
    private final MemorySegment m = MemorySegment.ofArray(new byte[4096]);
    private final IdentifyController id = new IdentifyController(m);

    @Test
    void fieldsATargetFillsLandAtSpecOffsets() {
        id.vid(0x1234).serialNumber("SN1").modelNumber("Model").firmwareRevision("1.0").rab(6).ieeeOui(0xABCDEF)
                .cmic(IdentifyController.CMIC_MULTI_CONTROLLER).mdts(5).cntlid(0x42).ver(0x00020000)
                .ctratt(0x80).oacs(0x8).acl(3).aerl(4).frmw(3).lpa(2).elpe(15).npss(1).kas(10)
                .sqes(0x66).cqes(0x44).maxcmd(128).nn(32).oncs(0xC).fuses(1).vwc(7)
                .sgls(IdentifyController.SGLS_SUPPORTED_NO_ALIGNMENT | IdentifyController.SGLS_KEYED_DATA_BLOCK)
                .subnqn("nqn.2024-01.io.example:sub").ioccsz(260).iorcsz(1).icdoff(0)
                .fcatt(IdentifyController.FCATT_STATIC_CONTROLLER_MODEL).msdbd(1).ofcs(1);
        assertEquals(0x1234, Le.u16(m, 0));
        assertEquals('S', Le.u8(m, 4));
        assertEquals('M', Le.u8(m, 24));
        assertEquals('1', Le.u8(m, 64));
        assertEquals(6, Le.u8(m, 72));
        assertEquals(0xEF, Le.u8(m, 73));
        assertEquals(0xAB, Le.u8(m, 75));
        assertEquals(2, Le.u8(m, 76));
        assertEquals(5, Le.u8(m, 77));
        assertEquals(0x42, Le.u16(m, 78));
        assertEquals(0x00020000, Le.u32(m, 80));
        assertEquals(0x80, Le.u32(m, 96));
        assertEquals(0x8, Le.u16(m, 256));
        assertEquals(3, Le.u8(m, 258));
        assertEquals(4, Le.u8(m, 259));
        assertEquals(3, Le.u8(m, 260));
        assertEquals(2, Le.u8(m, 261));
        assertEquals(15, Le.u8(m, 262));
        assertEquals(1, Le.u8(m, 263));
        assertEquals(10, Le.u16(m, 320));
        assertEquals(0x66, Le.u8(m, 512));
        assertEquals(0x44, Le.u8(m, 513));
        assertEquals(128, Le.u16(m, 514));
        assertEquals(32, Le.u32(m, 516));
        assertEquals(0xC, Le.u16(m, 520));
        assertEquals(1, Le.u16(m, 522));
        assertEquals(7, Le.u8(m, 525));
        assertEquals(0x5, Le.u32(m, 536));
        assertEquals('n', Le.u8(m, 768));
        assertEquals(260, Le.u32(m, 1792));
        assertEquals(1, Le.u32(m, 1796));
        assertEquals(0, Le.u16(m, 1800));
        assertEquals(1, Le.u8(m, 1802));
        assertEquals(1, Le.u8(m, 1803));
        assertEquals(1, Le.u16(m, 1804));
        assertEquals("nqn.2024-01.io.example:sub", id.subnqn());
    }

    @Test
    void textFieldsArePaddedWithSpacesAndSubnqnWithNul() {
        id.serialNumber("AB").subnqn("nqn.x");
        assertEquals(' ', Le.u8(m, 6));
        assertEquals(' ', Le.u8(m, 23));
        assertEquals(0, Le.u8(m, 768 + 5));
        assertEquals("AB", id.serialNumber());
    }

    @Test
    void invalidTextIsRejectedWithTheReason() {
        var tooLong = assertThrows(IllegalArgumentException.class, () -> id.serialNumber("123456789012345678901"));
        assertEquals(true, tooLong.getMessage().contains("holds 20"));
        assertThrows(IllegalArgumentException.class, () -> id.modelNumber("caf\u00e9"));
        assertThrows(IllegalArgumentException.class, () -> id.subnqn("nqn." + "x".repeat(220)));
    }
}
