package io.nvmfoffload.nvme.spec;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/** Firmware Slot Information log page, 512 bytes (NVMe Base 2.0 figure 209). */
public final class FirmwareSlotLog {
    public static final int SIZE = 512;
    public static final int AFI = 0;
    public static final int FRS1 = 8;

    private MemorySegment seg;
    private long base;

    public FirmwareSlotLog wrap(MemorySegment seg, long offset) {
        Objects.checkFromIndexSize(offset, SIZE, seg.byteSize());
        this.seg = seg;
        this.base = offset;
        return this;
    }

    public FirmwareSlotLog clear() {
        seg.asSlice(base, SIZE).fill((byte) 0);
        return this;
    }

    /** Active Firmware Info: bits 2:0 the running slot, bits 6:4 the slot for the next reset. */
    public int afi() { return Le.u8(seg, base + AFI); }
    public FirmwareSlotLog afi(int activeSlot, int nextSlot) {
        Le.putU8(seg, base + AFI, activeSlot & 0x7 | (nextSlot & 0x7) << 4);
        return this;
    }

    /** Firmware revision in slot 1-7. */
    public String revision(int slot) { return Le.string(seg, base + slotOffset(slot), 8); }
    public FirmwareSlotLog revision(int slot, String revision) {
        Le.putAsciiSpacePadded(seg, base + slotOffset(slot), 8, revision);
        return this;
    }

    private static long slotOffset(int slot) {
        if (slot < 1 || slot > 7) {
            throw new IllegalArgumentException("firmware slot " + slot + " outside 1..7");
        }
        return FRS1 + 8L * (slot - 1);
    }
}
