package io.nvmfoffload.offload.emulated;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * NVMe-oF command capsules with every field at the offset the NVMe Base and NVMe over Fabrics
 * specifications give (written from them, not from the engine's classes): byte 0 opcode, byte 1
 * FUSE (bits 1:0) and PSDT (bits 7:6), bytes 2-3 CID, 4-7 NSID, 24-39 the SGL descriptor in DPTR,
 * 40-47 SLBA, 48-49 NLB (0's based). A keyed SGL data block (type 4h) has address 24-31, length
 * 32-34, key 35-38; a data block (type 0h, subtype 1h: offset) has the offset into the capsule's
 * data in 24-31 and the length in 32-35. Byte 39 is the SGL identifier: type 7:4, subtype 3:0.
 */
final class SpecCapsules {
    static final int SQE = 64;
    static final int READ = 0x02;
    static final int WRITE = 0x01;
    static final int FLUSH = 0x00;
    /** PSDT 01b: SGL with a contiguous metadata buffer, what fabrics hosts send. */
    static final int FLAGS_SGL = 0x40;
    static final int KEYED_ADDRESS = 0x40;
    static final int KEYED_INVALIDATE = 0x4F;
    static final int DATA_BLOCK_OFFSET = 0x01;

    private SpecCapsules() {}

    /** An I/O command of {@code blocks} blocks at {@code slba}, with a zeroed DPTR. */
    static ByteBuffer io(int opcode, int cid, int nsid, long slba, int blocks, int capsuleBytes) {
        ByteBuffer b = ByteBuffer.allocate(capsuleBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, (byte) opcode).put(1, (byte) FLAGS_SGL).putShort(2, (short) cid).putInt(4, nsid);
        b.putLong(40, slba);
        if (blocks > 0) {
            b.putShort(48, (short) (blocks - 1));
        }
        return b;
    }

    /** A Read or Write whose data is the host's memory: a keyed SGL data block. */
    static ByteBuffer keyed(int opcode, int cid, int nsid, int blocks, int length, long address, int rkey, int sglId) {
        ByteBuffer b = io(opcode, cid, nsid, 0, blocks, SQE);
        b.putLong(24, address).put(32, (byte) length).put(33, (byte) (length >>> 8)).put(34, (byte) (length >>> 16))
                .putInt(35, rkey).put(39, (byte) sglId);
        return b;
    }

    /** A Write whose data is in the capsule, {@code offset} bytes after the SQE; the capsule holds {@code dataBytes} after the SQE. */
    static ByteBuffer inCapsule(int cid, int nsid, int blocks, long offset, int length, int dataBytes) {
        ByteBuffer b = io(WRITE, cid, nsid, 0, blocks, SQE + dataBytes);
        b.putLong(24, offset).putInt(32, length).put(39, (byte) DATA_BLOCK_OFFSET);
        return b;
    }

    /** A command without data (Flush): a data block SGL of length 0. */
    static ByteBuffer flush(int cid, int nsid) {
        ByteBuffer b = io(FLUSH, cid, nsid, 0, 0, SQE);
        b.put(39, (byte) DATA_BLOCK_OFFSET);
        return b;
    }

    /** The capsule in native memory, as a receive buffer holds it. */
    static MemorySegment received(Arena arena, ByteBuffer capsule) {
        MemorySegment m = arena.allocate(capsule.capacity(), 64);
        m.copyFrom(MemorySegment.ofArray(capsule.array()));
        return m;
    }
}
