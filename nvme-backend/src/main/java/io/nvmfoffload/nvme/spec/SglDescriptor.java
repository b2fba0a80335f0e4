package io.nvmfoffload.nvme.spec;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * A 16-byte SGL descriptor (NVMe Base 2.0 section 4.1.2, NVMe-oF 1.1 for keyed descriptors).
 *
 * <p>Byte 15 is the identifier: type in bits 7:4, subtype in bits 3:0. Unkeyed descriptors carry
 * an 8-byte address and a 4-byte length; the Keyed Data Block (type 4, what RDMA hosts send)
 * packs an 8-byte address, a 3-byte length and a 4-byte remote key.
 */
public final class SglDescriptor {
    public static final int SIZE = 16;

    public static final int TYPE_DATA_BLOCK = 0x0;
    public static final int TYPE_BIT_BUCKET = 0x1;
    public static final int TYPE_SEGMENT = 0x2;
    public static final int TYPE_LAST_SEGMENT = 0x3;
    public static final int TYPE_KEYED_DATA_BLOCK = 0x4;
    public static final int TYPE_TRANSPORT_DATA_BLOCK = 0x5;

    public static final int SUBTYPE_ADDRESS = 0x0;
    /** Address is an offset into in-capsule data (NVMe-oF). */
    public static final int SUBTYPE_OFFSET = 0x1;
    public static final int SUBTYPE_TRANSPORT_SPECIFIC = 0xA;
    /** RDMA: the target should invalidate the key with Send with Invalidate. */
    public static final int SUBTYPE_INVALIDATE_KEY = 0xF;

    /** The largest length a keyed descriptor can express. */
    public static final int MAX_KEYED_LENGTH = 0xFFFFFF;

    private static final int ADDRESS = 0;
    private static final int LENGTH = 8;
    private static final int KEY = 11;
    private static final int IDENTIFIER = 15;

    private MemorySegment seg;
    private long base;

    public SglDescriptor wrap(MemorySegment seg, long offset) {
        Objects.checkFromIndexSize(offset, SIZE, seg.byteSize());
        this.seg = seg;
        this.base = offset;
        return this;
    }

    public int identifier() {
        return Le.u8(seg, base + IDENTIFIER);
    }

    public int type() {
        return identifier() >>> 4;
    }

    public int subtype() {
        return identifier() & 0xF;
    }

    public boolean isKeyed() {
        return type() == TYPE_KEYED_DATA_BLOCK;
    }

    public long address() {
        return Le.u64(seg, base + ADDRESS);
    }

    /** Length in bytes: 24 bits for keyed descriptors, 32 bits (unsigned) otherwise. */
    public long length() {
        return isKeyed() ? Le.u24(seg, base + LENGTH) : Le.u32(seg, base + LENGTH) & 0xFFFFFFFFL;
    }

    /**
     * Whether a data block with the offset subtype lies inside a capsule's data: {@code offset}
     * (this descriptor's address, read as unsigned) plus {@code length} within {@code available}
     * bytes after the SQE. Written so that no sum can wrap around, whatever the host sent.
     */
    public static boolean fitsInCapsule(long offset, long length, long available) {
        return offset >= 0 && length >= 0 && available >= 0 && offset <= available && length <= available - offset;
    }

    /** Whether a keyed data block's subtype is one the transport binding defines: address (0h) or invalidate key (Fh). */
    public boolean isKeyedSubtypeDefined() {
        return isKeyed() && (subtype() == SUBTYPE_ADDRESS || subtype() == SUBTYPE_INVALIDATE_KEY);
    }

    /** Remote key of a keyed descriptor. */
    public int key() {
        if (!isKeyed()) {
            throw new IllegalStateException("SGL descriptor type " + type() + " has no key; only type 4 (Keyed Data Block) does");
        }
        return Le.u32(seg, base + KEY);
    }

    public SglDescriptor keyedDataBlock(long address, int length, int key, boolean invalidate) {
        if (length < 0 || length > MAX_KEYED_LENGTH) {
            throw new IllegalArgumentException("keyed SGL length " + length + " outside 0.." + MAX_KEYED_LENGTH);
        }
        Le.putU64(seg, base + ADDRESS, address);
        Le.putU24(seg, base + LENGTH, length);
        Le.putU32(seg, base + KEY, key);
        Le.putU8(seg, base + IDENTIFIER, TYPE_KEYED_DATA_BLOCK << 4 | (invalidate ? SUBTYPE_INVALIDATE_KEY : SUBTYPE_ADDRESS));
        return this;
    }

    /** Data Block descriptor; subtype {@link #SUBTYPE_OFFSET} for in-capsule data, else {@link #SUBTYPE_ADDRESS}. */
    public SglDescriptor dataBlock(long address, long length, int subtype) {
        return unkeyed(TYPE_DATA_BLOCK, subtype, address, length);
    }

    /** Segment or Last Segment descriptor pointing at the next list of descriptors. */
    public SglDescriptor segment(long address, long length, boolean last, int subtype) {
        if (length % SIZE != 0) {
            throw new IllegalArgumentException("SGL segment length " + length + " is not a multiple of " + SIZE);
        }
        return unkeyed(last ? TYPE_LAST_SEGMENT : TYPE_SEGMENT, subtype, address, length);
    }

    private SglDescriptor unkeyed(int type, int subtype, long address, long length) {
        if (length < 0 || length > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("SGL length " + length + " does not fit 32 bits");
        }
        Le.putU64(seg, base + ADDRESS, address);
        Le.putU32(seg, base + LENGTH, (int) length);
        Le.putU16(seg, base + 12, 0);
        Le.putU8(seg, base + 14, 0);
        Le.putU8(seg, base + IDENTIFIER, type << 4 | subtype & 0xF);
        return this;
    }

    @Override
    public String toString() {
        return isKeyed()
                ? String.format("SGL[keyed addr=%X len=%d key=%08X subtype=%Xh]", address(), length(), key(), subtype())
                : String.format("SGL[type=%Xh subtype=%Xh addr=%X len=%d]", type(), subtype(), address(), length());
    }
}
