package io.nvmfoffload.nvme.spec;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Commands Supported and Effects log page, 4096 bytes: one dword per admin opcode at 0, one per
 * I/O opcode at 1024 (NVMe Base 2.0 figure 210).
 */
public final class CommandEffectsLog {
    public static final int SIZE = 4096;
    public static final int IO_BASE = 1024;

    /** Command Supported. */
    public static final int CSUPP = 1;
    /** Logical Block Content Change. */
    public static final int LBCC = 1 << 1;
    /** Namespace Capability Change. */
    public static final int NCC = 1 << 2;
    /** Namespace Inventory Change. */
    public static final int NIC = 1 << 3;
    /** Controller Capability Change. */
    public static final int CCC = 1 << 4;

    private MemorySegment seg;
    private long base;

    public CommandEffectsLog wrap(MemorySegment seg, long offset) {
        Objects.checkFromIndexSize(offset, SIZE, seg.byteSize());
        this.seg = seg;
        this.base = offset;
        return this;
    }

    public CommandEffectsLog clear() {
        seg.asSlice(base, SIZE).fill((byte) 0);
        return this;
    }

    public int admin(int opcode) { return Le.u32(seg, base + 4L * Objects.checkIndex(opcode, 256)); }
    public CommandEffectsLog admin(int opcode, int effects) {
        Le.putU32(seg, base + 4L * Objects.checkIndex(opcode, 256), effects);
        return this;
    }

    public int io(int opcode) { return Le.u32(seg, base + IO_BASE + 4L * Objects.checkIndex(opcode, 256)); }
    public CommandEffectsLog io(int opcode, int effects) {
        Le.putU32(seg, base + IO_BASE + 4L * Objects.checkIndex(opcode, 256), effects);
        return this;
    }
}
