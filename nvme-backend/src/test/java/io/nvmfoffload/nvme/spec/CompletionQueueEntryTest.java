package io.nvmfoffload.nvme.spec;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompletionQueueEntryTest {

    @Test
    void postWritesEveryFieldAtItsOffset() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocate(16, 16);
            new CompletionQueueEntry(m, 0).post(0x11223344, 0x55667788, 7, 3, 0xABCD,
                    NvmeStatus.INVALID_QUEUE_IDENTIFIER.field(true), true);
            assertEquals(0x11223344, Le.u32(m, 0));
            assertEquals(0x55667788, Le.u32(m, 4));
            assertEquals(7, Le.u16(m, 8));
            assertEquals(3, Le.u16(m, 10));
            assertEquals(0xABCD, Le.u16(m, 12));
            // Status word: phase in bit 0, SC in bits 8:1, SCT in 11:9, DNR in 15.
            assertEquals(1 | 0x01 << 1 | 1 << 9 | 1 << 15, Le.u16(m, 14));
        }
    }

    @Test
    void statusAndPhaseDecodeFromTheStatusWord() {
        try (Arena a = Arena.ofConfined()) {
            CompletionQueueEntry e = new CompletionQueueEntry(a.allocate(16, 16), 0);
            e.status(StatusField.encode(2, 0x81, true, false), false);
            assertFalse(e.phase());
            assertFalse(e.phaseAcquire());
            assertEquals(2, StatusField.sct(e.status()));
            assertEquals(0x81, StatusField.sc(e.status()));
            assertTrue(StatusField.more(e.status()));
            assertFalse(StatusField.dnr(e.status()));
            assertEquals(NvmeStatus.UNRECOVERED_READ_ERROR, NvmeStatus.lookup(e.status()));
            e.status(0, true);
            assertTrue(e.phaseAcquire());
            assertTrue(e.isSuccess());
        }
    }
}
