package io.nvmfoffload.nvme.spec;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class IdentifyNamespaceTest {
    private final MemorySegment m = MemorySegment.ofArray(new byte[4096]);
    private final IdentifyNamespace id = new IdentifyNamespace(m);

    @Test
    void sizesFormatsAndIdentifiersLandAtSpecOffsets() {
        byte[] nguid = new byte[16];
        nguid[0] = 0x11;
        nguid[15] = 0x22;
        byte[] eui = {1, 2, 3, 4, 5, 6, 7, 8};
        id.nsze(1000).ncap(900).nuse(800).nsfeat(IdentifyNamespace.NSFEAT_THIN_PROVISIONING).nlbaf(1).flbas(1)
                .dlfeat(IdentifyNamespace.DLFEAT_READ_ZEROES | IdentifyNamespace.DLFEAT_WRITE_ZEROES_DEALLOCATE)
                .lbaf(0, 0, 9, 2).lbaf(1, 8, 12, 0).nguid(nguid).eui64(eui);
        assertEquals(1000, Le.u64(m, 0));
        assertEquals(900, Le.u64(m, 8));
        assertEquals(800, Le.u64(m, 16));
        assertEquals(1, Le.u8(m, 24));
        assertEquals(1, Le.u8(m, 25));
        assertEquals(1, Le.u8(m, 26));
        assertEquals(0x09, Le.u8(m, 33));
        assertEquals(0x11, Le.u8(m, 104));
        assertEquals(0x22, Le.u8(m, 119));
        assertEquals(1, Le.u8(m, 120));
        assertEquals(9, Le.u8(m, 128 + 2));
        assertEquals(2, Le.u8(m, 128 + 3));
        assertEquals(8, Le.u16(m, 132));
        assertEquals(12, Le.u8(m, 134));
        assertEquals(4096, id.blockSize());
        assertArrayEquals(eui, id.eui64());
    }

    @Test
    void formatIndexTakesUpperBitsFromFlbasBits6To5() {
        id.flbas(0x20 | 0x3);
        assertEquals(0x13, id.formatIndex());
    }

    @Test
    void dataSizeBelow512BytesIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> id.lbaf(0, 0, 8, 0));
    }
}
