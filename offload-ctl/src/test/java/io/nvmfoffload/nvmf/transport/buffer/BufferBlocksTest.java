package io.nvmfoffload.nvmf.transport.buffer;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BufferBlocksTest {
    @Test
    void aTransferTakesTheSmallestPowerOfTwoBlockThatHoldsIt() {
        assertEquals(0, BufferBlocks.orderFor(1));
        assertEquals(0, BufferBlocks.orderFor(4096));
        assertEquals(1, BufferBlocks.orderFor(4097));
        assertEquals(2, BufferBlocks.orderFor(12 << 10));
        assertEquals(8, BufferBlocks.orderFor(1 << 20));
        assertEquals(11, BufferBlocks.orderFor(8 << 20));
    }

    @Test
    void smallBlocksSplitATopBlockAndMergeBackIntoIt() {
        BufferBlocks b = new BufferBlocks(2);  // top blocks of 16 KiB
        b.addTopBlocks(1);
        int first = b.allocate(0);
        int second = b.allocate(0);
        int pair = b.allocate(1);
        assertEquals(List.of(0, 1, 2), List.of(first, second, pair), "4 KiB, 4 KiB and 8 KiB carve the 16 KiB block");
        assertEquals(-1, b.allocate(0), "nothing left");
        b.free(second, 0);
        b.free(first, 0);
        assertEquals(-1, b.allocate(2), "the 8 KiB block is still held");
        b.free(pair, 1);
        assertEquals(0, b.allocate(2), "every piece came back: the whole top block again");
    }

    @Test
    void blocksNeverOverlapAndEveryByteComesBackAfterRandomUse() {
        BufferBlocks b = new BufferBlocks(8);  // 1 MiB top blocks
        b.addTopBlocks(4);
        long total = b.freeBytes();
        SplittableRandom random = new SplittableRandom(7);
        List<int[]> held = new ArrayList<>();
        boolean[] taken = new boolean[b.units()];
        for (int i = 0; i < 20_000; i++) {
            if (!held.isEmpty() && random.nextInt(3) == 0) {
                int[] h = held.remove(random.nextInt(held.size()));
                for (int u = h[0]; u < h[0] + (1 << h[1]); u++) {
                    taken[u] = false;
                }
                b.free(h[0], h[1]);
                continue;
            }
            int order = random.nextInt(9);
            int unit = b.allocate(order);
            if (unit < 0) {
                continue;
            }
            assertEquals(0, unit % (1 << order), "a block is aligned to its size");
            for (int u = unit; u < unit + (1 << order); u++) {
                assertTrue(!taken[u], "unit " + u + " given twice");
                taken[u] = true;
            }
            held.add(new int[] {unit, order});
        }
        held.forEach(h -> b.free(h[0], h[1]));
        assertEquals(total, b.freeBytes());
        for (int i = 0; i < 4; i++) {
            assertNotEquals(-1, b.allocate(8), "every top block whole again");
        }
    }

    @Test
    void freeingABlockThatIsNotHeldIsCaught() {
        BufferBlocks b = new BufferBlocks(2);
        b.addTopBlocks(1);
        int unit = b.allocate(0);
        assertThrows(IllegalStateException.class, () -> b.free(unit, 1), "wrong order");
        b.free(unit, 0);
        assertThrows(IllegalStateException.class, () -> b.free(unit, 0), "twice");
    }
}
