package io.nvmfoffload.nvme.spec;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * A 16-byte Completion Queue Entry, read and written in place (NVMe Base 2.0 figure 89).
 *
 * <p>Dword 3 carries the command identifier, the status and the phase tag. A producer fills
 * dwords 0-2 first and publishes dword 3 last with release ordering ({@link #post}); a consumer
 * polls dword 3 with acquire ordering ({@link #phaseAcquire}), so it never sees a new phase with
 * stale contents. Ordered access needs the entry at a 4-byte aligned address, as rings are.
 */
public final class CompletionQueueEntry {
    public static final int SIZE = 16;

    public static final int DW0 = 0;
    public static final int DW1 = 4;
    public static final int SQ_HEAD = 8;
    public static final int SQ_ID = 10;
    public static final int CID = 12;
    public static final int STATUS = 14;

    private MemorySegment seg;
    private long base;

    public CompletionQueueEntry() {
    }

    public CompletionQueueEntry(MemorySegment seg, long offset) {
        wrap(seg, offset);
    }

    public CompletionQueueEntry wrap(MemorySegment seg, long offset) {
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

    public CompletionQueueEntry clear() {
        seg.asSlice(base, SIZE).fill((byte) 0);
        return this;
    }

    /** Command-specific dword 0 (e.g. Set Features result, Connect controller ID). */
    public int dw0() {
        return Le.u32(seg, base + DW0);
    }

    public CompletionQueueEntry dw0(int v) {
        Le.putU32(seg, base + DW0, v);
        return this;
    }

    public int dw1() {
        return Le.u32(seg, base + DW1);
    }

    public CompletionQueueEntry dw1(int v) {
        Le.putU32(seg, base + DW1, v);
        return this;
    }

    /** Dwords 0-1 as one 64-bit result (Property Get of an 8-byte property). */
    public long result64() {
        return Le.u64(seg, base + DW0);
    }

    public int sqHead() {
        return Le.u16(seg, base + SQ_HEAD);
    }

    public CompletionQueueEntry sqHead(int v) {
        Le.putU16(seg, base + SQ_HEAD, v);
        return this;
    }

    public int sqId() {
        return Le.u16(seg, base + SQ_ID);
    }

    public CompletionQueueEntry sqId(int v) {
        Le.putU16(seg, base + SQ_ID, v);
        return this;
    }

    public int cid() {
        return Le.u16(seg, base + CID);
    }

    public CompletionQueueEntry cid(int v) {
        Le.putU16(seg, base + CID, v);
        return this;
    }

    /** The 16-bit word at offset 14: status in bits 15:1, phase tag in bit 0. */
    public int statusWord() {
        return Le.u16(seg, base + STATUS);
    }

    /** The 15-bit status field (see {@link StatusField}). */
    public int status() {
        return statusWord() >>> 1;
    }

    public boolean phase() {
        return (statusWord() & 1) != 0;
    }

    public CompletionQueueEntry status(int status, boolean phase) {
        Le.putU16(seg, base + STATUS, StatusField.toWord(status, phase));
        return this;
    }

    public boolean isSuccess() {
        return StatusField.isSuccess(status());
    }

    /** Reads the phase tag with acquire ordering; the rest of the entry is then safe to read. */
    public boolean phaseAcquire() {
        return (Ordered.getIntAcquire(seg, base + CID) & 1 << 16) != 0;
    }

    /**
     * Writes a whole entry, publishing dword 3 (CID, status, phase) last with release ordering so
     * a consumer that sees the new phase sees the rest.
     */
    public void post(int dw0, int dw1, int sqHead, int sqId, int cid, int status, boolean phase) {
        Le.putU32(seg, base + DW0, dw0);
        Le.putU32(seg, base + DW1, dw1);
        Le.putU32(seg, base + SQ_HEAD, sqHead & 0xFFFF | sqId << 16);
        Ordered.setIntRelease(seg, base + CID, cid & 0xFFFF | StatusField.toWord(status, phase) << 16);
    }

    @Override
    public String toString() {
        return String.format("CQE[cid=%d sqid=%d sqhd=%d dw0=%08X p=%d status=%s]",
                cid(), sqId(), sqHead(), dw0(), phase() ? 1 : 0, StatusField.describe(status()));
    }
}
