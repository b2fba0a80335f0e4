package io.nvmfoffload.nvme.spec;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PrpWalkerTest {
    private static final int PAGE = 4096;
    private final Arena arena = Arena.ofConfined();
    /** Three list pages; the walker reads lists only through this view, as a device would. */
    private final MemorySegment lists = arena.allocate(3 * PAGE, PAGE);
    private final PrpListMemory memory = new PrpListMemory() {
        @Override
        public boolean isReadable(long address, long length) {
            return address >= lists.address() && address + length <= lists.address() + lists.byteSize();
        }

        @Override
        public long readQword(long address) {
            return Le.u64(lists, address - lists.address());
        }
    };
    private final PrpWalker walker = new PrpWalker(1100);
    private final SubmissionQueueEntry sqe = new SubmissionQueueEntry(MemorySegment.ofArray(new byte[64]), 0);

    @AfterEach
    void close() {
        arena.close();
    }

    private int walk(long length) {
        return walker.walk(sqe.prp1(), sqe.prp2(), length, PAGE, memory);
    }

    @Test
    void transferWithinOnePageUsesOnlyPrp1() {
        sqe.prp1(0x10_0200).prp2(0xDEAD);
        assertEquals(0, walk(512));
        assertEquals(1, walker.chunkCount());
        assertEquals(0x10_0200, walker.chunkAddress(0));
        assertEquals(512, walker.chunkLength(0));
    }

    @Test
    void secondPageComesFromPrp2AsAPagePointer() {
        sqe.prp1(0x10_0800).prp2(0x50_0000);
        assertEquals(0, walk(4096));
        assertEquals(2, walker.chunkCount());
        assertEquals(2048, walker.chunkLength(0));
        assertEquals(0x50_0000, walker.chunkAddress(1));
        assertEquals(2048, walker.chunkLength(1));
    }

    @Test
    void transferOverTwoPagesReadsThePrpList() {
        sqe.prp1(0x10_0000).prp2(lists.address());
        Le.putU64(lists, 0, 0x30_0000);
        Le.putU64(lists, 8, 0x70_0000);
        assertEquals(0, walk(3 * PAGE - 100));
        assertEquals(3, walker.chunkCount());
        assertEquals(0x30_0000, walker.chunkAddress(1));
        assertEquals(0x70_0000, walker.chunkAddress(2));
        assertEquals(PAGE - 100, walker.chunkLength(2));
    }

    @Test
    void contiguousPagesMergeIntoOneChunk() {
        long base = 0x40_0000;
        sqe.prp1(base).prp2(lists.address());
        for (int i = 0; i < 7; i++) {
            Le.putU64(lists, 8L * i, base + PAGE * (i + 1L));
        }
        assertEquals(0, walk(8 * PAGE));
        assertEquals(1, walker.chunkCount());
        assertEquals(8 * PAGE, walker.chunkLength(0));
    }

    @Test
    void listBuiltByTheHostChainsAcrossListPagesAndWalksBack() {
        // 1030 data pages: PRP1 + 1029 list entries, more than one 512-entry list page holds.
        long data = 0x1_0000_0000L;
        long length = 1030L * PAGE;
        long used = PrpListBuilder.fill(sqe, data, length, PAGE, lists);
        assertEquals((1029 + 2) * 8, used);
        // Slot 511 of the first list page chains to the second page.
        assertEquals(lists.address() + PAGE, Le.u64(lists, 511 * 8));
        assertEquals(0, walk(length));
        assertEquals(1, walker.chunkCount());
        assertEquals(data, walker.chunkAddress(0));
        assertEquals(length, walker.chunkLength(0));
    }

    @Test
    void builderUsesPrp2DirectlyForTwoPages() {
        assertEquals(0, PrpListBuilder.fill(sqe, 0x20_0F00, PAGE, PAGE, null));
        assertEquals(0x20_0F00, sqe.prp1());
        assertEquals(0x20_1000, sqe.prp2());
    }

    @Test
    void prp1NotDwordAlignedIsInvalidPrpOffset() {
        sqe.prp1(0x10_0002);
        assertEquals(NvmeStatus.INVALID_PRP_OFFSET, NvmeStatus.lookup(walk(512)));
    }

    @Test
    void prp2PagePointerWithAnOffsetIsInvalidPrpOffset() {
        sqe.prp1(0x10_0000).prp2(0x20_0010);
        assertEquals(NvmeStatus.INVALID_PRP_OFFSET, NvmeStatus.lookup(walk(2 * PAGE)));
    }

    @Test
    void listEntryWithAnOffsetIsInvalidPrpOffset() {
        sqe.prp1(0x10_0000).prp2(lists.address());
        Le.putU64(lists, 0, 0x30_0000);
        Le.putU64(lists, 8, 0x70_0200);
        assertEquals(NvmeStatus.INVALID_PRP_OFFSET, NvmeStatus.lookup(walk(3 * PAGE)));
    }

    @Test
    void listPointerNotQwordAlignedIsInvalidPrpOffset() {
        sqe.prp1(0x10_0000).prp2(lists.address() + 4);
        assertEquals(NvmeStatus.INVALID_PRP_OFFSET, NvmeStatus.lookup(walk(3 * PAGE)));
    }

    @Test
    void unreadablePrpListIsDataTransferError() {
        sqe.prp1(0x10_0000).prp2(0x7777_0000L);
        assertEquals(NvmeStatus.DATA_TRANSFER_ERROR, NvmeStatus.lookup(walk(3 * PAGE)));
    }
}
