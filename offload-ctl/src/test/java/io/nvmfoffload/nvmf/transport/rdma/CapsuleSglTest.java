package io.nvmfoffload.nvmf.transport.rdma;

import io.nvmfoffload.nvme.spec.NvmeStatus;
import io.nvmfoffload.nvmf.core.DataDirection;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CapsuleSglTest {
    /** An SQE whose DPTR holds an SGL descriptor: address, length (32 bits, or 24 + key), identifier. */
    static MemorySegment sqe(long address, long lengthAndKey, int sglId) {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(24, address).putLong(32, lengthAndKey).put(39, (byte) sglId);
        return MemorySegment.ofArray(b.array());
    }

    private static final int MAX_IO_SIZE = 256 << 10;
    private final CapsuleSgl sgl = new CapsuleSgl(MAX_IO_SIZE);

    @Test
    void inCapsuleDataWithinTheCapsuleIsUsedWhereItLanded() {
        sgl.decode(sqe(0, 4096, 0x01), DataDirection.HOST_TO_CONTROLLER, 64 + 4096);
        assertEquals(CapsuleSgl.Kind.IN_CAPSULE, sgl.kind);
        assertEquals(0, sgl.offset);
        assertEquals(4096, sgl.length);
    }

    @Test
    void anInCapsuleOffsetThatWouldWrapAroundIsRefusedNotSliced() {
        // offset + length overflows a long and used to pass the bounds check
        sgl.decode(sqe(Long.MAX_VALUE, 16, 0x01), DataDirection.HOST_TO_CONTROLLER, 64 + 4096);
        assertEquals(CapsuleSgl.Kind.REJECT, sgl.kind);
        assertEquals(NvmeStatus.SGL_OFFSET_INVALID, sgl.status);
        // a length with the top bit set read as a negative int
        sgl.decode(sqe(0, 0x8000_0000L, 0x01), DataDirection.HOST_TO_CONTROLLER, 64 + 4096);
        assertEquals(CapsuleSgl.Kind.REJECT, sgl.kind);
        sgl.decode(sqe(4000, 200, 0x01), DataDirection.HOST_TO_CONTROLLER, 64 + 4096);
        assertEquals(CapsuleSgl.Kind.REJECT, sgl.kind, "past the end of the capsule");
    }

    @Test
    void aKeyedBlockCarriesAddressKeyAndTheInvalidateSubtype() {
        long lengthAndKey = 8192 | (0x1234_5678L << 24);
        sgl.decode(sqe(0xABCD_0000L, lengthAndKey, 0x4F), DataDirection.CONTROLLER_TO_HOST, 64);
        assertEquals(CapsuleSgl.Kind.KEYED, sgl.kind);
        assertEquals(8192, sgl.length);
        assertEquals(0xABCD_0000L, sgl.remoteAddress);
        assertEquals(0x1234_5678, sgl.remoteKey);
        assertTrue(sgl.invalidate);
        sgl.decode(sqe(0xABCD_0000L, lengthAndKey, 0x40), DataDirection.CONTROLLER_TO_HOST, 64);
        assertFalse(sgl.invalidate, "the address subtype leaves the key to the host");
    }

    @Test
    void unknownSubtypesLongTransfersAndBidirectionalCommandsAreRefusedWithTheirStatus() {
        sgl.decode(sqe(0, 512, 0x45), DataDirection.CONTROLLER_TO_HOST, 64);
        assertEquals(NvmeStatus.SGL_DESCRIPTOR_TYPE_INVALID, sgl.status);
        sgl.decode(sqe(0, MAX_IO_SIZE, 0x40), DataDirection.CONTROLLER_TO_HOST, 64);
        assertEquals(CapsuleSgl.Kind.KEYED, sgl.kind, "the port's max_io_size itself is accepted");
        sgl.decode(sqe(0, MAX_IO_SIZE + 1, 0x40), DataDirection.CONTROLLER_TO_HOST, 64);
        assertEquals(NvmeStatus.DATA_SGL_LENGTH_INVALID, sgl.status, "beyond the port's max_io_size");
        sgl.decode(sqe(0, 512, 0x40), DataDirection.BIDIRECTIONAL, 64);
        assertEquals(NvmeStatus.DATA_SGL_LENGTH_INVALID, sgl.status);
        sgl.decode(sqe(0, 512, 0x01), DataDirection.CONTROLLER_TO_HOST, 64 + 512);
        assertEquals(NvmeStatus.SGL_OFFSET_INVALID, sgl.status, "in-capsule data only goes to the controller");
    }
}
