package io.nvmfoffload.verbs.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Field access by C member name ({@code "cap.max_send_wr"}) for code off the hot path, where
 * readability matters more than a folded constant offset. Unsigned C types widen to Java's next
 * larger type so that values above 2^31 stay right.
 */
public record StructView(MemorySegment segment, GroupLayout layout) {
    public StructView {
        if (segment.byteSize() < layout.byteSize()) {
            segment = segment.reinterpret(layout.byteSize());
        }
    }

    /** A zeroed struct allocated in {@code arena}. */
    public static StructView allocate(Arena arena, GroupLayout layout) {
        return new StructView(arena.allocate(layout), layout);
    }

    /** A view of a struct at a native address returned by C. */
    public static StructView at(MemorySegment pointer, GroupLayout layout) {
        return new StructView(pointer.reinterpret(layout.byteSize()), layout);
    }

    private long off(String member) {
        return CLayouts.offset(layout, member);
    }

    public int u8(String member) {
        return Byte.toUnsignedInt(segment.get(JAVA_BYTE, off(member)));
    }

    public int u16(String member) {
        return Short.toUnsignedInt(segment.get(JAVA_SHORT, off(member)));
    }

    public int s32(String member) {
        return segment.get(JAVA_INT, off(member));
    }

    public long u32(String member) {
        return Integer.toUnsignedLong(segment.get(JAVA_INT, off(member)));
    }

    public long u64(String member) {
        return segment.get(JAVA_LONG, off(member));
    }

    public MemorySegment pointer(String member) {
        return segment.get(ADDRESS, off(member));
    }

    /** A NUL-terminated char array member. */
    public String string(String member) {
        return segment.asSlice(off(member)).getString(0);
    }

    public byte[] bytes(String member, int length) {
        return segment.asSlice(off(member), length).toArray(JAVA_BYTE);
    }

    public StructView setU8(String member, int value) {
        segment.set(JAVA_BYTE, off(member), (byte) value);
        return this;
    }

    public StructView setU16(String member, int value) {
        segment.set(JAVA_SHORT, off(member), (short) value);
        return this;
    }

    public StructView setS32(String member, int value) {
        segment.set(JAVA_INT, off(member), value);
        return this;
    }

    public StructView setU64(String member, long value) {
        segment.set(JAVA_LONG, off(member), value);
        return this;
    }

    public StructView setPointer(String member, MemorySegment value) {
        segment.set(ADDRESS, off(member), value);
        return this;
    }

    public StructView setBytes(String member, byte[] value) {
        MemorySegment.copy(MemorySegment.ofArray(value), 0, segment, off(member), value.length);
        return this;
    }

    public StructView nested(String member) {
        GroupLayout nested = (GroupLayout) layout.select(CLayouts.path(member));
        return new StructView(segment.asSlice(off(member), nested.byteSize()), nested);
    }
}
