package io.nvmfoffload.nvme.emu;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DmaSpaceTest {

    @Test
    void addressesInsideARegisteredSegmentResolveToIt() {
        try (Arena a = Arena.ofConfined()) {
            DmaSpace dma = new DmaSpace();
            MemorySegment s1 = a.allocate(8192, 4096);
            MemorySegment s2 = a.allocate(4096, 4096);
            DmaRegion r1 = dma.register(s1);
            DmaRegion r2 = dma.register(s2);
            assertSame(r1, dma.find(s1.address(), 8192));
            assertSame(r1, dma.find(s1.address() + 100, 10));
            assertSame(r2, dma.find(s2.address() + 4095, 1));
            assertEquals(s1.address() + 5, r1.addressOf(5));
        }
    }

    @Test
    void addressesOutsideEveryRegionDoNotResolve() {
        try (Arena a = Arena.ofConfined()) {
            DmaSpace dma = new DmaSpace();
            MemorySegment s = a.allocate(4096, 4096);
            dma.register(s);
            assertNull(dma.find(s.address() - 1, 1));
            assertNull(dma.find(s.address() + 4096, 1));
            assertNull(dma.find(s.address() + 4000, 200), "a range running past the region's end");
            assertTrue(dma.isReadable(s.address(), 8));
        }
    }

    @Test
    void closingARegionUnmapsIt() {
        try (Arena a = Arena.ofConfined()) {
            DmaSpace dma = new DmaSpace();
            MemorySegment s = a.allocate(4096, 4096);
            DmaRegion r = dma.register(s);
            r.close();
            assertNull(dma.find(s.address(), 1));
            assertEquals(0, dma.regionCount());
        }
    }

    @Test
    void overlappingAndHeapSegmentsAreRejected() {
        try (Arena a = Arena.ofConfined()) {
            DmaSpace dma = new DmaSpace();
            MemorySegment s = a.allocate(8192, 4096);
            dma.register(s.asSlice(0, 4096));
            var e = assertThrows(IllegalArgumentException.class, () -> dma.register(s.asSlice(4000, 1000)));
            assertTrue(e.getMessage().contains("overlaps"));
            assertThrows(IllegalArgumentException.class, () -> dma.register(MemorySegment.ofArray(new byte[16])));
        }
    }
}
