package io.nvmfoffload.nvme.spec;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Fabrics command fields in a 64-byte SQE (NVMe-oF 1.1 section 3.3): the Connect, Property Get
 * and Property Set layouts, plus the Connect response encodings.
 */
public final class FabricsCommand {
    public static final int FCTYPE = 4;
    // Connect
    public static final int RECFMT = 40;
    public static final int QID = 42;
    public static final int SQSIZE = 44;
    public static final int CATTR = 46;
    public static final int KATO = 48;
    // Property Get / Set
    public static final int ATTRIB = 40;
    public static final int PROPERTY_OFFSET = 44;
    public static final int PROPERTY_VALUE = 48;

    /** Connect CATTR bit 2: the host disables SQ flow control. */
    public static final int CATTR_DISABLE_SQ_FLOW_CONTROL = 1 << 2;
    /** Property ATTRIB size field: 0 = 4 bytes, 1 = 8 bytes. */
    public static final int PROPERTY_SIZE_4 = 0;
    public static final int PROPERTY_SIZE_8 = 1;

    private MemorySegment seg;
    private long base;

    public FabricsCommand wrap(MemorySegment seg, long offset) {
        Objects.checkFromIndexSize(offset, SubmissionQueueEntry.SIZE, seg.byteSize());
        this.seg = seg;
        this.base = offset;
        return this;
    }

    public FabricsCommand wrap(SubmissionQueueEntry sqe) {
        return wrap(sqe.segment(), sqe.offset());
    }

    public boolean isFabrics() { return Le.u8(seg, base) == FabricsCommandType.OPCODE; }
    public int fctype() { return Le.u8(seg, base + FCTYPE); }

    public int recfmt() { return Le.u16(seg, base + RECFMT); }
    public int qid() { return Le.u16(seg, base + QID); }
    /** Connect SQSIZE, 0-based. */
    public int sqsize() { return Le.u16(seg, base + SQSIZE); }
    public int cattr() { return Le.u8(seg, base + CATTR); }
    /** Keep Alive Timeout in milliseconds (admin queue Connect only). */
    public int kato() { return Le.u32(seg, base + KATO); }

    public FabricsCommand connect(int cid, int qid, int sqsize0Based, int cattr, int katoMillis) {
        seg.asSlice(base, SubmissionQueueEntry.SIZE).fill((byte) 0);
        Le.putU8(seg, base, FabricsCommandType.OPCODE);
        Le.putU16(seg, base + SubmissionQueueEntry.CID, cid);
        Le.putU8(seg, base + FCTYPE, FabricsCommandType.CONNECT);
        Le.putU16(seg, base + QID, qid);
        Le.putU16(seg, base + SQSIZE, sqsize0Based);
        Le.putU8(seg, base + CATTR, cattr);
        Le.putU32(seg, base + KATO, katoMillis);
        return this;
    }

    /** Property size in bytes (4 or 8) from ATTRIB bits 2:0. */
    public int propertySize() { return (Le.u8(seg, base + ATTRIB) & 0x7) == PROPERTY_SIZE_8 ? 8 : 4; }
    public int propertyOffset() { return Le.u32(seg, base + PROPERTY_OFFSET); }
    public long propertyValue() { return Le.u64(seg, base + PROPERTY_VALUE); }

    public FabricsCommand property(int fctype, int cid, int offset, int size, long value) {
        if (size != 4 && size != 8) {
            throw new IllegalArgumentException("property size " + size + " is neither 4 nor 8");
        }
        seg.asSlice(base, SubmissionQueueEntry.SIZE).fill((byte) 0);
        Le.putU8(seg, base, FabricsCommandType.OPCODE);
        Le.putU16(seg, base + SubmissionQueueEntry.CID, cid);
        Le.putU8(seg, base + FCTYPE, fctype);
        Le.putU8(seg, base + ATTRIB, size == 8 ? PROPERTY_SIZE_8 : PROPERTY_SIZE_4);
        Le.putU32(seg, base + PROPERTY_OFFSET, offset);
        Le.putU64(seg, base + PROPERTY_VALUE, value);
        return this;
    }

    /** Successful Connect response dword 0: the controller ID in bits 15:0. */
    public static int connectSuccessResult(int cntlid) {
        return cntlid & 0xFFFF;
    }

    /**
     * Connect Invalid Parameters response dword 0: IPO (the byte offset of the bad field) in bits
     * 15:0, IATTR in bits 23:16 with bit 0 set when the field is in the Connect data rather than
     * the SQE.
     */
    public static int connectInvalidParametersResult(boolean inConnectData, int byteOffset) {
        return byteOffset & 0xFFFF | (inConnectData ? 1 : 0) << 16;
    }
}
