package io.nvmfoffload.nvme.spec;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * A 64-byte Submission Queue Entry, read and written in place (NVMe Base 2.0 figure 88). One
 * instance is re-pointed with {@link #wrap} at each command, so decoding allocates nothing.
 *
 * <p>Command-specific accessors (queue creation, Identify, Get Log Page, I/O) interpret dwords
 * 10-15 as the named command defines them; the caller knows which command it holds.
 */
public final class SubmissionQueueEntry {
    public static final int SIZE = 64;

    public static final int OPCODE = 0;
    public static final int FLAGS = 1;
    public static final int CID = 2;
    public static final int NSID = 4;
    public static final int CDW2 = 8;
    public static final int CDW3 = 12;
    public static final int MPTR = 16;
    public static final int DPTR = 24;
    public static final int PRP1 = 24;
    public static final int PRP2 = 32;
    public static final int CDW10 = 40;

    /** PSDT values (flags bits 7:6). */
    public static final int PSDT_PRP = 0;
    public static final int PSDT_SGL_MPTR_CONTIGUOUS = 1;
    public static final int PSDT_SGL_MPTR_SGL = 2;

    /** NSID value meaning every namespace (Flush, Get Log Page). */
    public static final int NSID_ALL = 0xFFFFFFFF;

    private MemorySegment seg;
    private long base;

    public SubmissionQueueEntry() {
    }

    public SubmissionQueueEntry(MemorySegment seg, long offset) {
        wrap(seg, offset);
    }

    public SubmissionQueueEntry wrap(MemorySegment seg, long offset) {
        Objects.checkFromIndexSize(offset, SIZE, seg.byteSize());
        this.seg = seg;
        this.base = offset;
        return this;
    }

    public MemorySegment segment() {
        return seg;
    }

    public long offset() {
        return base;
    }

    public SubmissionQueueEntry clear() {
        // Eight stores rather than a slice and fill: a driver clears one entry per command.
        for (int i = 0; i < SIZE; i += 8) {
            Le.putU64(seg, base + i, 0);
        }
        return this;
    }

    /** Copies this entry's 64 bytes to another entry. */
    public void copyTo(SubmissionQueueEntry other) {
        MemorySegment.copy(seg, base, other.seg, other.base, SIZE);
    }

    public int opcode() {
        return Le.u8(seg, base + OPCODE);
    }

    public SubmissionQueueEntry opcode(int v) {
        Le.putU8(seg, base + OPCODE, v);
        return this;
    }

    public int flags() {
        return Le.u8(seg, base + FLAGS);
    }

    public SubmissionQueueEntry flags(int v) {
        Le.putU8(seg, base + FLAGS, v);
        return this;
    }

    /** FUSE, flags bits 1:0. */
    public int fuse() {
        return flags() & 0x3;
    }

    /** PRP or SGL for Data Transfer, flags bits 7:6. */
    public int psdt() {
        return flags() >>> 6;
    }

    public SubmissionQueueEntry psdt(int v) {
        return flags(flags() & 0x3F | (v & 0x3) << 6);
    }

    public int cid() {
        return Le.u16(seg, base + CID);
    }

    public SubmissionQueueEntry cid(int v) {
        Le.putU16(seg, base + CID, v);
        return this;
    }

    public int nsid() {
        return Le.u32(seg, base + NSID);
    }

    public SubmissionQueueEntry nsid(int v) {
        Le.putU32(seg, base + NSID, v);
        return this;
    }

    /** Fabrics command type (byte 4, where NSID sits for other commands). */
    public int fctype() {
        return Le.u8(seg, base + 4);
    }

    public SubmissionQueueEntry fctype(int v) {
        Le.putU8(seg, base + 4, v);
        return this;
    }

    public long mptr() {
        return Le.u64(seg, base + MPTR);
    }

    public SubmissionQueueEntry mptr(long v) {
        Le.putU64(seg, base + MPTR, v);
        return this;
    }

    public long prp1() {
        return Le.u64(seg, base + PRP1);
    }

    public SubmissionQueueEntry prp1(long v) {
        Le.putU64(seg, base + PRP1, v);
        return this;
    }

    public long prp2() {
        return Le.u64(seg, base + PRP2);
    }

    public SubmissionQueueEntry prp2(long v) {
        Le.putU64(seg, base + PRP2, v);
        return this;
    }

    /** Points {@code view} at SGL1 (the data pointer as an SGL descriptor). */
    public SglDescriptor sgl1(SglDescriptor view) {
        return view.wrap(seg, base + DPTR);
    }

    /** Dword {@code n} (0-15) of the entry. */
    public int cdw(int n) {
        Objects.checkIndex(n, 16);
        return Le.u32(seg, base + 4L * n);
    }

    public SubmissionQueueEntry cdw(int n, int v) {
        Objects.checkIndex(n, 16);
        Le.putU32(seg, base + 4L * n, v);
        return this;
    }

    public int cdw10() {
        return Le.u32(seg, base + 40);
    }

    public int cdw11() {
        return Le.u32(seg, base + 44);
    }

    public int cdw12() {
        return Le.u32(seg, base + 48);
    }

    public int cdw13() {
        return Le.u32(seg, base + 52);
    }

    public int cdw14() {
        return Le.u32(seg, base + 56);
    }

    public int cdw15() {
        return Le.u32(seg, base + 60);
    }

    public SubmissionQueueEntry cdw10(int v) {
        Le.putU32(seg, base + 40, v);
        return this;
    }

    public SubmissionQueueEntry cdw11(int v) {
        Le.putU32(seg, base + 44, v);
        return this;
    }

    public SubmissionQueueEntry cdw12(int v) {
        Le.putU32(seg, base + 48, v);
        return this;
    }

    public SubmissionQueueEntry cdw13(int v) {
        Le.putU32(seg, base + 52, v);
        return this;
    }

    public SubmissionQueueEntry cdw14(int v) {
        Le.putU32(seg, base + 56, v);
        return this;
    }

    public SubmissionQueueEntry cdw15(int v) {
        Le.putU32(seg, base + 60, v);
        return this;
    }

    // --- NVM I/O commands (Read, Write, Write Zeroes, Compare) ---

    /** Starting LBA, dwords 10-11. */
    public long slba() {
        return Le.u64(seg, base + 40);
    }

    public SubmissionQueueEntry slba(long v) {
        Le.putU64(seg, base + 40, v);
        return this;
    }

    /** Number of logical blocks as the 1-based count (the field itself is 0-based, dword 12 bits 15:0). */
    public int blockCount() {
        return (cdw12() & 0xFFFF) + 1;
    }

    public SubmissionQueueEntry blockCount(int blocks) {
        if (blocks < 1 || blocks > 0x10000) {
            throw new IllegalArgumentException("block count " + blocks + " outside 1..65536 (NLB is a 16-bit 0-based field)");
        }
        return cdw12(cdw12() & 0xFFFF0000 | (blocks - 1));
    }

    /** Force Unit Access, dword 12 bit 30. */
    public boolean fua() {
        return (cdw12() & 1 << 30) != 0;
    }

    /** Deallocate, Write Zeroes dword 12 bit 25. */
    public boolean deallocate() {
        return (cdw12() & 1 << 25) != 0;
    }

    public SubmissionQueueEntry deallocate(boolean v) {
        return cdw12(v ? cdw12() | 1 << 25 : cdw12() & ~(1 << 25));
    }

    // --- Dataset Management ---

    /** Number of ranges as the 1-based count (dword 10 bits 7:0 are 0-based). */
    public int dsmRangeCount() {
        return (cdw10() & 0xFF) + 1;
    }

    /** Attribute - Deallocate, dword 11 bit 2. */
    public boolean dsmDeallocate() {
        return (cdw11() & 1 << 2) != 0;
    }

    // --- Create/Delete I/O Queue ---

    /** Queue Identifier, dword 10 bits 15:0 (create and delete). */
    public int queueId() {
        return cdw10() & 0xFFFF;
    }

    /** Queue Size as the 1-based entry count (dword 10 bits 31:16 are 0-based). */
    public int queueEntries() {
        return (cdw10() >>> 16) + 1;
    }

    /** Physically Contiguous, dword 11 bit 0. */
    public boolean physicallyContiguous() {
        return (cdw11() & 1) != 0;
    }

    /** Create I/O SQ: the CQ this SQ completes into, dword 11 bits 31:16. */
    public int sqCompletionQueueId() {
        return cdw11() >>> 16;
    }

    /** Create I/O CQ: Interrupts Enabled, dword 11 bit 1. */
    public boolean cqInterruptsEnabled() {
        return (cdw11() & 2) != 0;
    }

    // --- Identify ---

    /** Controller or Namespace Structure, dword 10 bits 7:0. */
    public int cns() {
        return cdw10() & 0xFF;
    }

    /** Controller Identifier, dword 10 bits 31:16. */
    public int identifyControllerId() {
        return cdw10() >>> 16;
    }

    /** Command Set Identifier, dword 11 bits 31:24. */
    public int identifyCsi() {
        return cdw11() >>> 24;
    }

    // --- Get Log Page ---

    public int logPageId() {
        return cdw10() & 0xFF;
    }

    /** Log Specific Field, dword 10 bits 14:8. */
    public int logSpecificField() {
        return cdw10() >>> 8 & 0x7F;
    }

    /** Retain Asynchronous Event, dword 10 bit 15. */
    public boolean retainAsyncEvent() {
        return (cdw10() & 1 << 15) != 0;
    }

    /** Number of Dwords as the 1-based count (NUMDU:NUMDL is 0-based). */
    public long logPageDwords() {
        long numdl = cdw10() >>> 16;
        long numdu = cdw11() & 0xFFFF;
        return (numdu << 16 | numdl) + 1;
    }

    /** Log Page Offset in bytes, dwords 12-13. */
    public long logPageOffset() {
        return Le.u64(seg, base + 48);
    }

    public SubmissionQueueEntry logPage(int lid, long bytes, long offset) {
        if (bytes < 4 || bytes % 4 != 0) {
            throw new IllegalArgumentException("log page length " + bytes + " is not a positive multiple of 4");
        }
        long numd = bytes / 4 - 1;
        cdw10(lid & 0xFF | (int) (numd & 0xFFFF) << 16);
        cdw11((int) (numd >>> 16) & 0xFFFF);
        Le.putU64(seg, base + 48, offset);
        return this;
    }

    // --- Get/Set Features ---

    public int featureId() {
        return cdw10() & 0xFF;
    }

    /** Get Features Select, dword 10 bits 10:8. */
    public int featureSelect() {
        return cdw10() >>> 8 & 0x7;
    }

    /** Set Features Save, dword 10 bit 31. */
    public boolean featureSave() {
        return (cdw10() & 1 << 31) != 0;
    }

    @Override
    public String toString() {
        return String.format("SQE[opc=%02Xh cid=%d nsid=%d flags=%02Xh prp1=%X prp2=%X cdw10=%08X cdw11=%08X cdw12=%08X]",
                opcode(), cid(), nsid(), flags(), prp1(), prp2(), cdw10(), cdw11(), cdw12());
    }
}
