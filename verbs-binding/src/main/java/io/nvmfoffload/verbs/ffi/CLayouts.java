package io.nvmfoffload.verbs.ffi;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.UnionLayout;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A small vocabulary for writing C struct layouts the way the header reads. FFM does not pad
 * structs by itself, so {@link #struct} inserts the padding the x86-64 System V ABI would, which
 * keeps the Java declarations line-for-line comparable with verbs.h. Member names are the C field
 * names, so that {@code StructLayoutsMatchCHeadersTest} can ask gcc for the same offsets.
 * Anonymous C unions get a name starting with {@value #ANONYMOUS_PREFIX}: the layout test leaves
 * that element out of the C member designator, exactly as C does.
 */
public final class CLayouts {
    /** Prefix of the names given to anonymous unions and structs. */
    public static final String ANONYMOUS_PREFIX = "$anon";

    private CLayouts() {}

    public static StructLayout struct(String name, MemoryLayout... members) {
        List<MemoryLayout> padded = new ArrayList<>();
        long offset = 0;
        long alignment = 1;
        for (MemoryLayout member : members) {
            long a = member.byteAlignment();
            alignment = Math.max(alignment, a);
            long pad = (a - offset % a) % a;
            if (pad > 0) {
                padded.add(MemoryLayout.paddingLayout(pad));
            }
            padded.add(member);
            offset += pad + member.byteSize();
        }
        long tail = (alignment - offset % alignment) % alignment;
        if (tail > 0) {
            padded.add(MemoryLayout.paddingLayout(tail));
        }
        return MemoryLayout.structLayout(padded.toArray(MemoryLayout[]::new)).withName(name);
    }

    public static UnionLayout union(String name, MemoryLayout... members) {
        long size = Arrays.stream(members).mapToLong(MemoryLayout::byteSize).max().orElse(0);
        long alignment = Arrays.stream(members).mapToLong(MemoryLayout::byteAlignment).max().orElse(1);
        long rounded = (size + alignment - 1) / alignment * alignment;
        if (rounded == size) {
            return MemoryLayout.unionLayout(members).withName(name);
        }
        MemoryLayout[] withPad = Arrays.copyOf(members, members.length + 1);
        withPad[members.length] = MemoryLayout.paddingLayout(rounded);
        return MemoryLayout.unionLayout(withPad).withName(name);
    }

    public static UnionLayout anonymousUnion(int index, MemoryLayout... members) {
        return union(ANONYMOUS_PREFIX + index, members);
    }

    public static ValueLayout.OfByte u8(String name) {
        return JAVA_BYTE.withName(name);
    }

    public static ValueLayout.OfShort u16(String name) {
        return JAVA_SHORT.withName(name);
    }

    public static ValueLayout.OfInt u32(String name) {
        return JAVA_INT.withName(name);
    }

    public static ValueLayout.OfInt s32(String name) {
        return JAVA_INT.withName(name);
    }

    public static ValueLayout.OfLong u64(String name) {
        return JAVA_LONG.withName(name);
    }

    public static AddressLayout ptr(String name) {
        return ADDRESS.withName(name);
    }

    public static SequenceLayout chars(String name, long length) {
        return MemoryLayout.sequenceLayout(length, JAVA_BYTE).withName(name);
    }

    /** An opaque member of {@code words} 8-byte words, such as pthread_mutex_t (5) or pthread_cond_t (6). */
    public static SequenceLayout opaqueWords(String name, long words) {
        return MemoryLayout.sequenceLayout(words, JAVA_LONG).withName(name);
    }

    public static GroupLayout named(GroupLayout layout, String name) {
        return layout.withName(name);
    }

    /** Byte offset of a dotted member path such as {@code "wr.rdma.rkey"}. */
    public static long offset(MemoryLayout layout, String dottedPath) {
        return layout.byteOffset(path(dottedPath));
    }

    public static PathElement[] path(String dottedPath) {
        return Arrays.stream(dottedPath.split("\\.")).map(PathElement::groupElement).toArray(PathElement[]::new);
    }
}
