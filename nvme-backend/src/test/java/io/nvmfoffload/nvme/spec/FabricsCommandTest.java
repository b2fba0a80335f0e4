package io.nvmfoffload.nvme.spec;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FabricsCommandTest {

    @Test
    void connectFieldsLandAtSpecOffsets() {
        MemorySegment m = MemorySegment.ofArray(new byte[64]);
        FabricsCommand f = new FabricsCommand().wrap(m, 0).connect(5, 1, 127, FabricsCommand.CATTR_DISABLE_SQ_FLOW_CONTROL, 15000);
        assertEquals(0x7F, Le.u8(m, 0));
        assertEquals(5, Le.u16(m, 2));
        assertEquals(FabricsCommandType.CONNECT, Le.u8(m, 4));
        assertEquals(0, Le.u16(m, 40));
        assertEquals(1, Le.u16(m, 42));
        assertEquals(127, Le.u16(m, 44));
        assertEquals(4, Le.u8(m, 46));
        assertEquals(15000, Le.u32(m, 48));
        assertTrue(f.isFabrics());
        assertEquals(127, f.sqsize());
    }

    @Test
    void propertyGetCarriesSizeAndOffset() {
        MemorySegment m = MemorySegment.ofArray(new byte[64]);
        FabricsCommand f = new FabricsCommand().wrap(m, 0)
                .property(FabricsCommandType.PROPERTY_GET, 1, ControllerRegisters.CAP, 8, 0);
        assertEquals(FabricsCommandType.PROPERTY_GET, f.fctype());
        assertEquals(1, Le.u8(m, 40));
        assertEquals(8, f.propertySize());
        assertEquals(0, f.propertyOffset());
        new FabricsCommand().wrap(m, 0).property(FabricsCommandType.PROPERTY_SET, 2, ControllerRegisters.CC, 4, 0x460001);
        assertEquals(0x14, Le.u32(m, 44));
        assertEquals(0x460001, Le.u64(m, 48));
    }

    @Test
    void connectInvalidParametersResultNamesTheBadField() {
        assertEquals(0x1_0100, FabricsCommand.connectInvalidParametersResult(true, ConnectData.SUBNQN));
        assertEquals(42, FabricsCommand.connectInvalidParametersResult(false, FabricsCommand.QID));
        assertEquals(0x0007, FabricsCommand.connectSuccessResult(7));
    }

    @Test
    void connectDataLayout() {
        MemorySegment m = MemorySegment.ofArray(new byte[1024]);
        UUID host = UUID.randomUUID();
        ConnectData d = new ConnectData().wrap(m, 0).hostId(host).cntlid(0xFFFF).subnqn("nqn.s").hostnqn("nqn.h");
        assertEquals(0xFFFF, Le.u16(m, 16));
        assertEquals('n', Le.u8(m, 256));
        assertEquals('n', Le.u8(m, 512));
        assertEquals(host, d.hostId());
        assertEquals("nqn.h", d.hostnqn());
    }
}
