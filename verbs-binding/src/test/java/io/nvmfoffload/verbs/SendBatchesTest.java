package io.nvmfoffload.verbs;

import io.nvmfoffload.verbs.ffi.IbvLayouts;
import io.nvmfoffload.verbs.ffi.IbvOffsets;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The linking a batch does before its one post (the post itself needs a device: the guest tests). */
class SendBatchesTest {
    private static final long WR = IbvLayouts.IBV_SEND_WR.byteSize();

    private static long next(SendWorkRequests wrs, int entry) {
        return MemorySegment.ofAddress(wrs.linked(entry).address()).reinterpret(WR).get(JAVA_LONG, IbvOffsets.SEND_WR_NEXT);
    }

    @Test
    void chainsAddedToOneBatchFormOneListInTheOrderAdded() {
        try (SendWorkRequests a = new SendWorkRequests(4, 1); SendWorkRequests b = new SendWorkRequests(4, 1)) {
            SendBatches<String> batches = new SendBatches<>();
            SendBatches.Batch<String> qp = new SendBatches.Batch<>(null);
            SendBatches.Link<String> first = new SendBatches.Link<>("first");
            SendBatches.Link<String> second = new SendBatches.Link<>("second");
            assertTrue(batches.isEmpty());
            first.set(a, 0, 2);
            batches.add(qp, first);
            second.set(b, 3, 1);
            batches.add(qp, second);
            assertFalse(batches.isEmpty());
            assertEquals(a.linked(1).address(), next(a, 0));
            assertEquals(b.linked(3).address(), next(a, 1), "the first chain's last entry leads to the second chain");
            assertEquals(0L, next(b, 3), "the last chain ends the list");
        }
    }
}
