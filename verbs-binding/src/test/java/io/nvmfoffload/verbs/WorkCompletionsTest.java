package io.nvmfoffload.verbs;

import io.nvmfoffload.verbs.ffi.IbvLayouts;
import io.nvmfoffload.verbs.ffi.IbvOffsets;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fills the native array as a provider's poll_cq would and reads it back through the accessors. */
class WorkCompletionsTest {
    private static void write(WorkCompletions wcs, int i, long wrId, int status, int opcode, int byteLen, int immNetworkOrder, int flags) {
        MemorySegment s = wcs.segment();
        long base = i * IbvLayouts.IBV_WC.byteSize();
        s.set(JAVA_LONG, base + IbvOffsets.WC_WR_ID, wrId);
        s.set(JAVA_INT, base + IbvOffsets.WC_STATUS, status);
        s.set(JAVA_INT, base + IbvOffsets.WC_OPCODE, opcode);
        s.set(JAVA_INT, base + IbvOffsets.WC_BYTE_LEN, byteLen);
        s.set(JAVA_INT, base + IbvOffsets.WC_IMM_DATA, immNetworkOrder);
        s.set(JAVA_INT, base + IbvOffsets.WC_QP_NUM, 0x11);
        s.set(JAVA_INT, base + IbvOffsets.WC_WC_FLAGS, flags);
    }

    @Test
    void aSuccessfulReceiveWithImmediateDataReadsBackInHostOrder() {
        try (WorkCompletions wcs = new WorkCompletions(4)) {
            write(wcs, 0, 7, 0, WcOpcode.RECV_RDMA_WITH_IMM.value(), 64, Integer.reverseBytes(0xCAFE), WcFlag.WITH_IMM.value());
            wcs.setCount(1);

            assertTrue(wcs.isSuccess(0));
            wcs.requireSuccess(0);
            assertEquals(7, wcs.wrId(0));
            assertEquals(WcOpcode.RECV_RDMA_WITH_IMM, wcs.opcode(0));
            assertTrue(wcs.opcode(0).isReceive());
            assertEquals(64, wcs.byteLength(0));
            assertTrue(wcs.hasImmediateData(0));
            assertEquals(0xCAFE, wcs.immediateData(0));
        }
    }

    @Test
    void anErrorCompletionIsDataUntilCheckedAndThenNamesItsStatus() {
        try (WorkCompletions wcs = new WorkCompletions(2)) {
            write(wcs, 0, 0x7, WcStatus.IBV_WC_LOC_PROT_ERR.value(), 0, 0, 0, 0);
            wcs.setCount(1);

            assertFalse(wcs.isSuccess(0));
            assertEquals(WcStatus.IBV_WC_LOC_PROT_ERR, wcs.status(0));
            WorkCompletionException e = assertThrows(WorkCompletionException.class, () -> wcs.requireSuccess(0));
            assertEquals("IBV_WC_LOC_PROT_ERR (4) for wr_id 0x7 on QP 0x11, vendor error 0x0", e.getMessage());
            assertEquals(WcStatus.IBV_WC_LOC_PROT_ERR, e.status());
        }
    }

    @Test
    void readingBeyondWhatWasPolledFails() {
        try (WorkCompletions wcs = new WorkCompletions(4)) {
            wcs.setCount(1);
            assertThrows(IndexOutOfBoundsException.class, () -> wcs.wrId(1));
        }
    }
}
