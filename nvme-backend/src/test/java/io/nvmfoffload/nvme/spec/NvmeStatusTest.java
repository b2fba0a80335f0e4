package io.nvmfoffload.nvme.spec;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NvmeStatusTest {

    @Test
    void codesMatchTheSpecTables() {
        assertEquals(0x000, NvmeStatus.SUCCESS.code());
        assertEquals(0x002, NvmeStatus.INVALID_FIELD_IN_COMMAND.code());
        assertEquals(0x004, NvmeStatus.DATA_TRANSFER_ERROR.code());
        assertEquals(0x00B, NvmeStatus.INVALID_NAMESPACE_OR_FORMAT.code());
        assertEquals(0x013, NvmeStatus.INVALID_PRP_OFFSET.code());
        assertEquals(0x080, NvmeStatus.LBA_OUT_OF_RANGE.code());
        assertEquals(0x100, NvmeStatus.COMPLETION_QUEUE_INVALID.code());
        assertEquals(0x101, NvmeStatus.INVALID_QUEUE_IDENTIFIER.code());
        assertEquals(0x102, NvmeStatus.INVALID_QUEUE_SIZE.code());
        assertEquals(0x109, NvmeStatus.INVALID_LOG_PAGE.code());
        assertEquals(0x10C, NvmeStatus.INVALID_QUEUE_DELETION.code());
        assertEquals(0x180, NvmeStatus.CONNECT_INCOMPATIBLE_FORMAT.code());
        assertEquals(0x181, NvmeStatus.CONNECT_CONTROLLER_BUSY.code());
        assertEquals(0x182, NvmeStatus.CONNECT_INVALID_PARAMETERS.code());
        assertEquals(0x183, NvmeStatus.CONNECT_RESTART_DISCOVERY.code());
        assertEquals(0x184, NvmeStatus.CONNECT_INVALID_HOST.code());
        assertEquals(0x190, NvmeStatus.DISCOVERY_RESTART.code());
        assertEquals(0x191, NvmeStatus.AUTHENTICATION_REQUIRED.code());
        assertEquals(0x280, NvmeStatus.WRITE_FAULT.code());
        assertEquals(0x281, NvmeStatus.UNRECOVERED_READ_ERROR.code());
        assertEquals(0x287, NvmeStatus.DEALLOCATED_OR_UNWRITTEN_LOGICAL_BLOCK.code());
        assertEquals(0x300, NvmeStatus.INTERNAL_PATH_ERROR.code());
        assertEquals(0x303, NvmeStatus.ASYMMETRIC_ACCESS_TRANSITION.code());
        assertEquals(0x371, NvmeStatus.COMMAND_ABORTED_BY_HOST.code());
    }

    @Test
    void everyNamedStatusRoundTripsThroughTheCompletionWord() {
        for (NvmeStatus s : NvmeStatus.values()) {
            int word = StatusField.toWord(s.field(true), true);
            int back = StatusField.fromWord(word);
            assertEquals(s.sct(), StatusField.sct(back), s.name());
            assertEquals(s.sc(), StatusField.sc(back), s.name());
            assertTrue(StatusField.dnr(back), s.name());
            assertTrue(StatusField.phaseOf(word), s.name());
            NvmeStatus named = s.isFabrics() ? NvmeStatus.lookupFabrics(back) : NvmeStatus.lookup(back);
            assertEquals(s, named, s.name());
        }
    }

    @Test
    void sharedCommandSpecificCodesResolveByContext() {
        int code = 0x182;
        assertEquals(NvmeStatus.ATTEMPTED_WRITE_TO_READ_ONLY_RANGE, NvmeStatus.lookup(code));
        assertEquals(NvmeStatus.CONNECT_INVALID_PARAMETERS, NvmeStatus.lookupFabrics(code));
        assertEquals(NvmeStatus.INVALID_QUEUE_IDENTIFIER, NvmeStatus.lookupFabrics(0x101));
    }

    @Test
    void moreAndDnrDoNotChangeTheName() {
        int s = StatusField.encode(0, 0x80, true, true);
        assertEquals(NvmeStatus.LBA_OUT_OF_RANGE, NvmeStatus.lookup(s));
        assertEquals("SCT 0h SC 80h LBA Out of Range, More, DNR", StatusField.describe(s));
        assertNull(NvmeStatus.lookup(StatusField.encode(0, 0x7F, false, false)));
    }

    @Test
    void exceptionCarriesTheStatusField() {
        NvmeStatusException e = new NvmeStatusException(NvmeStatus.LBA_OUT_OF_RANGE, "read at LBA 9 of 8");
        assertEquals(NvmeStatus.LBA_OUT_OF_RANGE.code() | StatusField.DNR, e.statusField());
        assertTrue(e.getMessage().contains("LBA Out of Range") && e.getMessage().contains("LBA 9"));
    }
}
