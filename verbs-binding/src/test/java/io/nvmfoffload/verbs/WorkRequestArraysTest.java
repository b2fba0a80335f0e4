package io.nvmfoffload.verbs;

import io.nvmfoffload.verbs.ffi.IbvLayouts;
import io.nvmfoffload.verbs.ffi.IbvOffsets;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Checks the native work requests as a provider would read them. */
class WorkRequestArraysTest {
    private static final long WR = IbvLayouts.IBV_SEND_WR.byteSize();

    @Test
    void postedEntriesAreLinkedIntoANullTerminatedChain() {
        try (SendWorkRequests sends = new SendWorkRequests(8, 2)) {
            MemorySegment chain = sends.chain(2, 3);

            long first = chain.address();
            MemorySegment all = MemorySegment.ofAddress(first).reinterpret(WR * 3);
            assertEquals(first + WR, all.get(JAVA_LONG, IbvOffsets.SEND_WR_NEXT));
            assertEquals(first + 2 * WR, all.get(JAVA_LONG, WR + IbvOffsets.SEND_WR_NEXT));
            assertEquals(0L, all.get(JAVA_LONG, 2 * WR + IbvOffsets.SEND_WR_NEXT));
            assertEquals(3, sends.indexOf(first + WR));
        }
    }

    @Test
    void chainsInSeveralArraysAreLinkedIntoOneListForOnePost() {
        try (SendWorkRequests a = new SendWorkRequests(4, 1); SendWorkRequests b = new SendWorkRequests(4, 1)) {
            b.link(1, 1, null, 0);
            a.link(0, 2, b, 1);  // a[0] -> a[1] -> b[1] -> end
            long a0 = a.linked(0).address();
            MemorySegment as = MemorySegment.ofAddress(a0).reinterpret(WR * 2);
            long b1 = b.linked(1).address();
            assertEquals(a0 + WR, as.get(JAVA_LONG, IbvOffsets.SEND_WR_NEXT));
            assertEquals(b1, as.get(JAVA_LONG, WR + IbvOffsets.SEND_WR_NEXT));
            assertEquals(0L, MemorySegment.ofAddress(b1).reinterpret(WR).get(JAVA_LONG, IbvOffsets.SEND_WR_NEXT));
            // which request a failed post names
            assertEquals(true, b.holds(b1, 1, 1));
            assertEquals(false, a.holds(b1, 0, 2));
            assertEquals(true, a.holds(a0 + WR, 0, 2));
            assertEquals(false, a.holds(a0 + WR, 0, 1));
        }
    }

    @Test
    void linkingToAClosedArrayOrPastItsEndIsRefused() {
        try (SendWorkRequests a = new SendWorkRequests(2, 1)) {
            SendWorkRequests b = new SendWorkRequests(2, 1);
            assertThrows(IndexOutOfBoundsException.class, () -> a.link(0, 1, b, 2));
            b.close();
            assertThrows(IllegalStateException.class, () -> a.link(0, 1, b, 0));
        }
    }

    @Test
    void anRdmaWriteWithImmediateIsEncodedAsCExpectsIt() {
        try (SendWorkRequests sends = new SendWorkRequests(1, 2)) {
            sends.get(0).reset().wrId(42).opcode(WrOpcode.RDMA_WRITE_WITH_IMM).signaled(true).inline(true)
                    .immediateData(0x01020304).remote(0xABCDEF00L, 0x77)
                    .addSge(0x1000, 64, 5).addSge(0x2000, 32, 6);

            MemorySegment wr = sends.chain(0, 1);
            assertEquals(42, wr.get(JAVA_LONG, IbvOffsets.SEND_WR_WR_ID));
            assertEquals(WrOpcode.RDMA_WRITE_WITH_IMM.value(), wr.get(JAVA_INT, IbvOffsets.SEND_WR_OPCODE));
            assertEquals(SendFlag.SIGNALED.value() | SendFlag.INLINE.value(), wr.get(JAVA_INT, IbvOffsets.SEND_WR_SEND_FLAGS));
            assertEquals(Integer.reverseBytes(0x01020304), wr.get(JAVA_INT, IbvOffsets.SEND_WR_IMM_DATA));
            assertEquals(0xABCDEF00L, wr.get(JAVA_LONG, IbvOffsets.SEND_WR_RDMA_REMOTE_ADDR));
            assertEquals(0x77, wr.get(JAVA_INT, IbvOffsets.SEND_WR_RDMA_RKEY));
            assertEquals(2, wr.get(JAVA_INT, IbvOffsets.SEND_WR_NUM_SGE));
            MemorySegment sge = wr.get(ADDRESS, IbvOffsets.SEND_WR_SG_LIST).reinterpret(2 * IbvLayouts.IBV_SGE.byteSize());
            long second = IbvLayouts.IBV_SGE.byteSize();
            assertEquals(0x2000, sge.get(JAVA_LONG, second + IbvOffsets.SGE_ADDR));
            assertEquals(32, sge.get(JAVA_INT, second + IbvOffsets.SGE_LENGTH));
            assertEquals(6, sge.get(JAVA_INT, second + IbvOffsets.SGE_LKEY));
        }
    }

    @Test
    void resetForgetsThePreviousUse() {
        try (SendWorkRequests sends = new SendWorkRequests(1, 1)) {
            sends.get(0).opcode(WrOpcode.RDMA_READ).signaled(true).addSge(1, 1, 1);
            sends.get(0).reset();

            MemorySegment wr = sends.chain(0, 1);
            assertEquals(0, wr.get(JAVA_INT, IbvOffsets.SEND_WR_NUM_SGE));
            assertEquals(0, wr.get(JAVA_INT, IbvOffsets.SEND_WR_SEND_FLAGS));
            assertEquals(WrOpcode.SEND.value(), wr.get(JAVA_INT, IbvOffsets.SEND_WR_OPCODE));
        }
    }

    @Test
    void moreSgesThanTheArrayHoldsAreRefused() {
        try (ReceiveWorkRequests recvs = new ReceiveWorkRequests(2, 1)) {
            recvs.get(1).reset().addSge(0x10, 8, 1);
            assertThrows(IndexOutOfBoundsException.class, () -> recvs.get(1).addSge(0x20, 8, 1));
        }
    }

    @Test
    void postingMoreEntriesThanTheArrayHasIsRefusedBeforeReachingC() {
        try (ReceiveWorkRequests recvs = new ReceiveWorkRequests(2, 1)) {
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> recvs.chain(1, 2));
            assertEquals("cannot post 2 receives from index 1 of an array of 2", e.getMessage());
        }
    }
}
