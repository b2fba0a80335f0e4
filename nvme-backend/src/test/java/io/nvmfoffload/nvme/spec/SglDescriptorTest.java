package io.nvmfoffload.nvme.spec;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SglDescriptorTest {

    @Test
    void keyedDataBlockPacksAddressThreeByteLengthAndKey() {
        MemorySegment m = MemorySegment.ofArray(new byte[64]);
        SglDescriptor d = new SubmissionQueueEntry(m, 0).sgl1(new SglDescriptor())
                .keyedDataBlock(0x0102030405060708L, 0xABCDEF, 0x11223344, false);
        assertEquals(0x0102030405060708L, Le.u64(m, 24));
        assertEquals((byte) 0xEF, m.get(Le.U8, 32));
        assertEquals((byte) 0xCD, m.get(Le.U8, 33));
        assertEquals((byte) 0xAB, m.get(Le.U8, 34));
        assertEquals(0x11223344, Le.u32(m, 35));
        assertEquals(0x40, Le.u8(m, 39));
        assertTrue(d.isKeyed());
        assertEquals(0xABCDEF, d.length());
        assertEquals(0x11223344, d.key());
    }

    @Test
    void invalidateSubtypeAsksForSendWithInvalidate() {
        SglDescriptor d = new SglDescriptor().wrap(MemorySegment.ofArray(new byte[16]), 0)
                .keyedDataBlock(0, 4096, 7, true);
        assertEquals(SglDescriptor.TYPE_KEYED_DATA_BLOCK, d.type());
        assertEquals(SglDescriptor.SUBTYPE_INVALIDATE_KEY, d.subtype());
        assertEquals(0x4F, d.identifier());
    }

    @Test
    void dataBlockWithOffsetSubtypeDescribesInCapsuleData() {
        SglDescriptor d = new SglDescriptor().wrap(MemorySegment.ofArray(new byte[16]), 0)
                .dataBlock(0, 8192, SglDescriptor.SUBTYPE_OFFSET);
        assertEquals(0x01, d.identifier());
        assertEquals(8192, d.length());
        assertThrows(IllegalStateException.class, d::key);
    }

    @Test
    void lastSegmentDescriptorPointsAtADescriptorList() {
        SglDescriptor d = new SglDescriptor().wrap(MemorySegment.ofArray(new byte[16]), 0)
                .segment(0x1000, 3 * SglDescriptor.SIZE, true, SglDescriptor.SUBTYPE_ADDRESS);
        assertEquals(SglDescriptor.TYPE_LAST_SEGMENT, d.type());
        assertEquals(48, d.length());
        assertThrows(IllegalArgumentException.class, () -> d.segment(0, 17, false, 0));
    }

    @Test
    void keyedLengthOver24BitsIsRejected() {
        SglDescriptor d = new SglDescriptor().wrap(MemorySegment.ofArray(new byte[16]), 0);
        assertThrows(IllegalArgumentException.class, () -> d.keyedDataBlock(0, 1 << 24, 0, false));
    }

    @Test
    void anInCapsuleOffsetNearTwoToTheSixtyThreeNeverFitsWhateverTheSumWrapsTo() {
        assertTrue(SglDescriptor.fitsInCapsule(0, 4096, 8192));
        assertTrue(SglDescriptor.fitsInCapsule(4096, 4096, 8192));
        assertFalse(SglDescriptor.fitsInCapsule(4097, 4096, 8192));
        assertFalse(SglDescriptor.fitsInCapsule(Long.MAX_VALUE - 10, 4096, 8192), "64 + offset + length wraps negative");
        assertFalse(SglDescriptor.fitsInCapsule(Long.MIN_VALUE, 4096, 8192), "an address of 2^63 read as unsigned");
        assertFalse(SglDescriptor.fitsInCapsule(-64, 4096, 8192));
        assertFalse(SglDescriptor.fitsInCapsule(0, 4096, -64), "a capsule shorter than its SQE holds no data");
    }
}
