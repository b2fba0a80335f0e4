package io.nvmfoffload.nvme.store;

import io.nvmfoffload.nvme.spec.NvmeStatus;
import io.nvmfoffload.nvme.spec.NvmeStatusException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Behaviour every namespace store shares; each implementation's test extends it. */
abstract class StoreContract {
    static final long BLOCKS = 256;
    final Arena arena = Arena.ofConfined();
    NamespaceStore store;

    /** A fresh store of {@link #BLOCKS} blocks of {@code blockSize} bytes. */
    abstract NamespaceStore newStore(int blockSize) throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = newStore(4096);
    }

    @AfterEach
    void closeAll() {
        store.close();
        arena.close();
    }

    MemorySegment pattern(int blocks, int bs, int seed) {
        MemorySegment m = arena.allocate((long) blocks * bs, 4096);
        for (long i = 0; i < m.byteSize(); i++) {
            m.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) (i * 31 + seed));
        }
        return m;
    }

    static boolean allZero(MemorySegment m) {
        for (long i = 0; i < m.byteSize(); i++) {
            if (m.get(java.lang.foreign.ValueLayout.JAVA_BYTE, i) != 0) {
                return false;
            }
        }
        return true;
    }

    @Test
    void writeThenReadReturnsTheSameBytes() {
        MemorySegment src = pattern(3, 4096, 7);
        store.write(10, 3, src);
        MemorySegment dst = arena.allocate(3 * 4096L, 4096);
        store.read(10, 3, dst);
        assertEquals(-1, src.mismatch(dst));
    }

    @Test
    void offsetsSelectWhereInTheBufferTheBlocksGo() {
        MemorySegment src = pattern(2, 4096, 12);
        MemorySegment big = arena.allocate(4 * 4096L, 4096);
        MemorySegment.copy(src, 0, big, 4096 + 512, src.byteSize());
        store.write(60, 2, big, 4096 + 512);
        MemorySegment back = arena.allocate(4 * 4096L, 4096);
        store.read(60, 2, back, 2 * 4096);
        assertEquals(-1, src.mismatch(back.asSlice(2 * 4096)));
        assertTrue(allZero(back.asSlice(0, 2 * 4096)));
        assertThrows(IllegalArgumentException.class, () -> store.read(60, 2, back, 2 * 4096 + 1));
    }

    @Test
    void readOfDeallocatedBlocksReturnsZeros() {
        store.write(0, 8, pattern(8, 4096, 1));
        store.deallocate(2, 4);
        MemorySegment dst = arena.allocate(8 * 4096L, 4096);
        store.read(0, 8, dst);
        assertTrue(allZero(dst.asSlice(2 * 4096, 4 * 4096)));
        assertEquals(-1, pattern(2, 4096, 1).mismatch(dst.asSlice(0, 2 * 4096)));
        assertTrue(store.deallocatedReadsZeros());
    }

    @Test
    void writeZeroesZeroesOnlyTheRange() {
        store.write(0, 4, pattern(4, 4096, 3));
        store.writeZeroes(1, 2, false);
        MemorySegment dst = arena.allocate(4 * 4096L, 4096);
        store.read(0, 4, dst);
        assertTrue(allZero(dst.asSlice(4096, 2 * 4096)));
        assertEquals(-1, pattern(4, 4096, 3).asSlice(3 * 4096).mismatch(dst.asSlice(3 * 4096)));
        store.writeZeroes(3, 1, true);
        store.read(3, 1, dst);
        assertTrue(allZero(dst.asSlice(0, 4096)));
    }

    @Test
    void readPastCapacityIsLbaOutOfRange() {
        MemorySegment dst = arena.allocate(2 * 4096L);
        var e = assertThrows(NvmeStatusException.class, () -> store.read(BLOCKS - 1, 2, dst));
        assertEquals(NvmeStatus.LBA_OUT_OF_RANGE, e.status());
        assertTrue(e.getMessage().contains("LBA " + (BLOCKS - 1)), e.getMessage());
    }

    @Test
    void hugeStartingLbaDoesNotWrapIntoRange() {
        MemorySegment dst = arena.allocate(4096L);
        assertEquals(NvmeStatus.LBA_OUT_OF_RANGE,
                assertThrows(NvmeStatusException.class, () -> store.read(-1L, 1, dst)).status());
        assertEquals(NvmeStatus.LBA_OUT_OF_RANGE,
                assertThrows(NvmeStatusException.class, () -> store.deallocate(Long.MAX_VALUE, 2)).status());
    }

    @Test
    void zeroBlockCountIsInvalidField() {
        MemorySegment dst = arena.allocate(4096L);
        assertEquals(NvmeStatus.INVALID_FIELD_IN_COMMAND,
                assertThrows(NvmeStatusException.class, () -> store.write(0, 0, dst)).status());
        assertEquals(NvmeStatus.INVALID_FIELD_IN_COMMAND,
                assertThrows(NvmeStatusException.class, () -> store.writeZeroes(0, 0, false)).status());
    }

    @Test
    void bufferSmallerThanTheBlocksIsRejected() {
        MemorySegment small = arena.allocate(4095);
        assertThrows(IllegalArgumentException.class, () -> store.read(0, 1, small));
    }

    @Test
    void resizeGrowsWithZeroedBlocksAndTellsListeners() {
        List<long[]> seen = new ArrayList<>();
        NamespaceStore.Subscription sub = store.addCapacityListener((s, o, n) -> seen.add(new long[] {o, n}));
        try {
            store.write(BLOCKS - 1, 1, pattern(1, 4096, 5));
            store.resize(BLOCKS * 2);
            assertEquals(BLOCKS * 2, store.capacityBlocks());
            assertEquals(1, seen.size());
            assertEquals(BLOCKS, seen.get(0)[0]);
            assertEquals(BLOCKS * 2, seen.get(0)[1]);
            MemorySegment dst = arena.allocate(2 * 4096L, 4096);
            store.read(BLOCKS - 1, 2, dst);
            assertEquals(-1, pattern(1, 4096, 5).mismatch(dst.asSlice(0, 4096)));
            assertTrue(allZero(dst.asSlice(4096)));
        } finally {
            sub.close();
        }
        store.resize(BLOCKS);
        assertEquals(1, seen.size(), "a closed subscription is not told");
    }

    @Test
    void shrinkingMakesTheCutBlocksOutOfRange() {
        store.resize(BLOCKS / 2);
        MemorySegment dst = arena.allocate(4096L);
        assertEquals(NvmeStatus.LBA_OUT_OF_RANGE,
                assertThrows(NvmeStatusException.class, () -> store.read(BLOCKS / 2, 1, dst)).status());
        store.read(BLOCKS / 2 - 1, 1, dst);
    }

    @Test
    void blockSize512IsSupported() throws Exception {
        try (NamespaceStore small = newStore(512)) {
            assertEquals(512, small.blockSize());
            MemorySegment src = pattern(3, 512, 9);
            small.write(5, 3, src);
            MemorySegment dst = arena.allocate(3 * 512L);
            small.read(5, 3, dst);
            assertEquals(-1, src.mismatch(dst));
        }
    }

    @Test
    void blockSizesOtherThan512Or4096AreRejected() {
        assertThrows(IllegalArgumentException.class, () -> newStore(1024));
    }
}
