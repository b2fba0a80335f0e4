package io.nvmfoffload.offload.emulated;

import io.nvmfoffload.verbs.Errno;
import io.nvmfoffload.verbs.nvmf.NvmfOffloadException;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StagingSlotsTest {
    private static final int PAGE = 4096;

    @Test
    void slotsStartOnAPageBoundaryEachWithAPrpListPageAfterItsData() {
        try (Arena arena = Arena.ofConfined()) {
            // 100 bytes into a page-aligned block: the first slot starts at the next page
            MemorySegment block = arena.allocate(20 * PAGE, PAGE);
            MemorySegment staging = block.asSlice(100);
            StagingSlots slots = new StagingSlots(staging, 100, 10_000, PAGE, arena);
            long slotBytes = 3 * PAGE + PAGE;  // 10,000 bytes round up to three pages, then the PRP page
            assertEquals((staging.byteSize() - (PAGE - 100)) / slotBytes, slots.count());
            for (int i = 0; i < slots.count(); i++) {
                OffloadedCommand cmd = slots.get(i);
                assertEquals(0, cmd.dataAddress % PAGE, "slot " + i + " is page aligned");
                assertEquals(block.address() + PAGE + i * slotBytes, cmd.dataAddress);
                assertEquals(3 * PAGE, cmd.data.byteSize());
                assertEquals(cmd.dataAddress + 3 * PAGE, cmd.prpList.address(), "the PRP list page follows the data");
                assertEquals(PAGE, cmd.prpList.byteSize());
                assertEquals(cmd.dataAddress - staging.address() + 100, cmd.dataMrOffset, "SGEs count from the memory region");
                assertEquals(64, cmd.sqe.byteSize());
                assertEquals(16, cmd.response.byteSize());
                assertEquals(slots.responses().address() + 16L * i, cmd.response.address());
            }
        }
    }

    @Test
    void aStagingBufferWithoutRoomForOneSlotIsRefusedWithEinval() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment staging = arena.allocate(2 * PAGE, PAGE);
            NvmfOffloadException e = assertThrows(NvmfOffloadException.class, () -> new StagingSlots(staging, 0, PAGE + 1, PAGE, arena));
            assertEquals(Errno.EINVAL, e.error());
            assertTrue(e.getMessage().contains("holds no slot of max_io_sz 4097"), e.getMessage());
        }
    }

    @Test
    void aSlotIndexIsABackendCidSoThereAreAtMost65535() {
        try (Arena arena = Arena.ofConfined()) {
            // a large range at a made-up address: slots are cut, never touched
            MemorySegment staging = MemorySegment.ofAddress(1L << 40).reinterpret(70_000L * 2 * PAGE);
            StagingSlots slots = new StagingSlots(staging, 0, PAGE, PAGE, arena);
            assertEquals(0xFFFF, slots.count());
        }
    }

    @Test
    void everySlotIsTakenOnceAndAReleasedSlotIsTheNextTaken() {
        try (Arena arena = Arena.ofConfined()) {
            StagingSlots slots = new StagingSlots(arena.allocate(8 * 2 * PAGE, PAGE), 0, PAGE, PAGE, arena);
            Set<Integer> taken = new HashSet<>();
            while (slots.hasFree()) {
                assertTrue(taken.add(slots.take().index));
            }
            assertEquals(slots.count(), taken.size());
            assertEquals(0, slots.freeCount());
            OffloadedCommand cmd = slots.get(3);
            cmd.transition(OffloadCommandState.AT_BACKEND);
            cmd.transition(OffloadCommandState.RESPONDING);
            slots.release(cmd);
            assertEquals(1, slots.freeCount());
            assertEquals(OffloadCommandState.FREE, cmd.state);
            assertEquals(3, slots.take().index);
        }
    }

    @Test
    void aSlotReleasedTwiceIsRefusedSoTheFreeListNeverHoldsItTwice() {
        try (Arena arena = Arena.ofConfined()) {
            StagingSlots slots = new StagingSlots(arena.allocate(4 * 2 * PAGE, PAGE), 0, PAGE, PAGE, arena);
            OffloadedCommand cmd = slots.take();
            int free = slots.freeCount();
            assertThrows(IllegalStateException.class, () -> slots.release(cmd), "a slot that never left FREE");
            assertEquals(free, slots.freeCount());
            assertNotEquals(cmd.index, slots.take().index);
            assertFalse(slots.isSlot(slots.count()));
            assertFalse(slots.isSlot(-1));
        }
    }
}
