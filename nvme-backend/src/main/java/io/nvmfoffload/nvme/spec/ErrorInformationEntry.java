package io.nvmfoffload.nvme.spec;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/** One 64-byte entry of the Error Information log page (NVMe Base 2.0 figure 205). */
public final class ErrorInformationEntry {
    public static final int SIZE = 64;

    public static final int ERROR_COUNT = 0;
    public static final int SQID = 8;
    public static final int CID = 10;
    public static final int STATUS_FIELD = 12;
    public static final int PARAMETER_ERROR_LOCATION = 14;
    public static final int LBA = 16;
    public static final int NSID = 24;
    public static final int VENDOR_SPECIFIC = 28;
    public static final int TRTYPE = 29;
    public static final int COMMAND_SPECIFIC = 32;
    public static final int TRANSPORT_SPECIFIC = 40;

    private MemorySegment seg;
    private long base;

    public ErrorInformationEntry wrap(MemorySegment seg, long offset) {
        Objects.checkFromIndexSize(offset, SIZE, seg.byteSize());
        this.seg = seg;
        this.base = offset;
        return this;
    }

    /** A unique, increasing identifier of the error; 0 marks an unused entry. */
    public long errorCount() { return Le.u64(seg, base + ERROR_COUNT); }
    public int sqid() { return Le.u16(seg, base + SQID); }
    public int cid() { return Le.u16(seg, base + CID); }
    /** The 15-bit status (the stored word has it in bits 15:1 and the phase tag in bit 0). */
    public int status() { return Le.u16(seg, base + STATUS_FIELD) >>> 1; }
    /** Byte (bits 7:0) and bit (bits 10:8) in the command of the field in error; FFFFh if unknown. */
    public int parameterErrorLocation() { return Le.u16(seg, base + PARAMETER_ERROR_LOCATION); }
    public long lba() { return Le.u64(seg, base + LBA); }
    public int nsid() { return Le.u32(seg, base + NSID); }

    public ErrorInformationEntry set(long errorCount, int sqid, int cid, int status, boolean phase,
                                     int parameterErrorLocation, long lba, int nsid) {
        seg.asSlice(base, SIZE).fill((byte) 0);
        Le.putU64(seg, base + ERROR_COUNT, errorCount);
        Le.putU16(seg, base + SQID, sqid);
        Le.putU16(seg, base + CID, cid);
        Le.putU16(seg, base + STATUS_FIELD, StatusField.toWord(status, phase));
        Le.putU16(seg, base + PARAMETER_ERROR_LOCATION, parameterErrorLocation);
        Le.putU64(seg, base + LBA, lba);
        Le.putU32(seg, base + NSID, nsid);
        return this;
    }
}
