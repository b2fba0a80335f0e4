package io.nvmfoffload.nvme.spec;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubmissionQueueEntryTest {

    @Test
    void commonFieldsLandAtSpecOffsetsLittleEndian() {
        MemorySegment m = MemorySegment.ofArray(new byte[64]);
        new SubmissionQueueEntry(m, 0).opcode(0x02).cid(0xBEEF).nsid(0x01020304)
                .prp1(0x1122334455667788L).prp2(0x99AABBCCDDEEFF00L).cdw10(0xA0A1A2A3).cdw15(0x0F0E0D0C);
        assertEquals(0x02, m.get(Le.U8, 0));
        assertEquals((byte) 0xEF, m.get(Le.U8, 2));
        assertEquals((byte) 0xBE, m.get(Le.U8, 3));
        assertEquals((byte) 0x04, m.get(Le.U8, 4));
        assertEquals((byte) 0x88, m.get(Le.U8, 24));
        assertEquals((byte) 0x00, m.get(Le.U8, 32));
        assertEquals((byte) 0xA3, m.get(Le.U8, 40));
        assertEquals((byte) 0x0C, m.get(Le.U8, 60));
    }

    @Test
    void blockCountIsZeroBasedOnTheWire() {
        MemorySegment m = MemorySegment.ofArray(new byte[64]);
        SubmissionQueueEntry e = new SubmissionQueueEntry(m, 0).slba(0x1_0000_0001L).blockCount(8);
        assertEquals(7, Le.u16(m, 48));
        assertEquals(8, e.blockCount());
        assertEquals(0x1_0000_0001L, Le.u64(m, 40));
        e.blockCount(65536);
        assertEquals(0xFFFF, Le.u16(m, 48));
        assertThrows(IllegalArgumentException.class, () -> e.blockCount(0));
        assertThrows(IllegalArgumentException.class, () -> e.blockCount(65537));
    }

    @Test
    void psdtAndFuseShareTheFlagsByte() {
        SubmissionQueueEntry e = new SubmissionQueueEntry(MemorySegment.ofArray(new byte[64]), 0).flags(0x1);
        e.psdt(SubmissionQueueEntry.PSDT_SGL_MPTR_CONTIGUOUS);
        assertEquals(0x41, e.flags());
        assertEquals(1, e.fuse());
        assertEquals(1, e.psdt());
    }

    @Test
    void wrapRepointsOneViewAtEachEntryOfARing() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ring = a.allocate(4 * 64);
            SubmissionQueueEntry view = new SubmissionQueueEntry();
            for (int i = 0; i < 4; i++) {
                assertSame(view, view.wrap(ring, i * 64L).cid(100 + i));
            }
            assertEquals(102, Le.u16(ring, 2 * 64 + 2));
            assertThrows(IndexOutOfBoundsException.class, () -> view.wrap(ring, 3 * 64 + 1));
        }
    }

    @Test
    void logPageLengthSplitsNumdAcrossDwords10And11() {
        SubmissionQueueEntry e = new SubmissionQueueEntry(MemorySegment.ofArray(new byte[64]), 0)
                .logPage(LogPageId.SMART_HEALTH, 4L * 0x12345, 0x1000);
        assertEquals(LogPageId.SMART_HEALTH, e.logPageId());
        assertEquals(0x2344, e.cdw10() >>> 16);
        assertEquals(0x1, e.cdw11() & 0xFFFF);
        assertEquals(0x12345, e.logPageDwords());
        assertEquals(0x1000, e.logPageOffset());
    }

    @Test
    void queueCreationFieldsDecode() {
        SubmissionQueueEntry e = new SubmissionQueueEntry(MemorySegment.ofArray(new byte[64]), 0)
                .cdw10(3 | 63 << 16).cdw11(1 | 2 | 7 << 16);
        assertEquals(3, e.queueId());
        assertEquals(64, e.queueEntries());
        assertTrue(e.physicallyContiguous());
        assertTrue(e.cqInterruptsEnabled());
        assertEquals(7, e.sqCompletionQueueId());
    }

    @Test
    void deallocateBitIsBit25OfDword12() {
        SubmissionQueueEntry e = new SubmissionQueueEntry(MemorySegment.ofArray(new byte[64]), 0).blockCount(1);
        assertFalse(e.deallocate());
        e.deallocate(true);
        assertEquals(1 << 25, e.cdw12() & ~0xFFFF);
        assertTrue(e.deallocate());
    }

    @Test
    void fabricsTypeIsByte4() {
        MemorySegment m = MemorySegment.ofArray(new byte[64]);
        new SubmissionQueueEntry(m, 0).opcode(FabricsCommandType.OPCODE).fctype(FabricsCommandType.CONNECT);
        assertEquals(0x7F, Le.u8(m, 0));
        assertEquals(0x01, Le.u8(m, 4));
        assertEquals("Connect", FabricsCommandType.name(new SubmissionQueueEntry(m, 0).fctype()));
    }
}
