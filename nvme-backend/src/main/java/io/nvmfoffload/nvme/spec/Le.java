package io.nvmfoffload.nvme.spec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Little-endian field access for NVMe data structures. NVMe is little-endian on the wire and in
 * memory regardless of the host, so every layout pins the byte order; the unaligned variants let
 * views sit on any offset (capsules inside RDMA receive buffers are not necessarily aligned).
 */
public final class Le {
    public static final ValueLayout.OfByte U8 = ValueLayout.JAVA_BYTE;
    public static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LITTLE_ENDIAN);
    public static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(LITTLE_ENDIAN);
    public static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(LITTLE_ENDIAN);

    private Le() {
    }

    public static int u8(MemorySegment s, long off) {
        return s.get(U8, off) & 0xFF;
    }

    public static int u16(MemorySegment s, long off) {
        return s.get(U16, off) & 0xFFFF;
    }

    public static int u32(MemorySegment s, long off) {
        return s.get(U32, off);
    }

    public static long u64(MemorySegment s, long off) {
        return s.get(U64, off);
    }

    public static void putU8(MemorySegment s, long off, int v) {
        s.set(U8, off, (byte) v);
    }

    public static void putU16(MemorySegment s, long off, int v) {
        s.set(U16, off, (short) v);
    }

    public static void putU32(MemorySegment s, long off, int v) {
        s.set(U32, off, v);
    }

    public static void putU64(MemorySegment s, long off, long v) {
        s.set(U64, off, v);
    }

    /** Reads an unsigned 24-bit little-endian value (keyed SGL lengths). */
    public static int u24(MemorySegment s, long off) {
        return u8(s, off) | u8(s, off + 1) << 8 | u8(s, off + 2) << 16;
    }

    public static void putU24(MemorySegment s, long off, int v) {
        if ((v & ~0xFFFFFF) != 0) {
            throw new IllegalArgumentException("value " + v + " does not fit the 24-bit field at offset " + off);
        }
        putU8(s, off, v);
        putU8(s, off + 1, v >>> 8);
        putU8(s, off + 2, v >>> 16);
    }

    /**
     * 128-bit counters (SMART) are stored as two little-endian quadwords; Java counters never
     * exceed 2^63, so the high quadword is zero.
     */
    public static void putU128(MemorySegment s, long off, long low) {
        putU64(s, off, low);
        putU64(s, off + 8, 0);
    }

    /**
     * Writes an ASCII field padded with spaces, as Identify's SN/MN/FR require (the spec forbids
     * NUL there). Characters outside printable ASCII are rejected because hosts print these fields.
     */
    public static void putAsciiSpacePadded(MemorySegment s, long off, int width, String value) {
        putPadded(s, off, width, value, (byte) ' ', true);
    }

    /** Writes a NUL-padded UTF-8 string (NQNs, transport addresses). */
    public static void putNulPadded(MemorySegment s, long off, int width, String value) {
        putPadded(s, off, width, value, (byte) 0, false);
    }

    private static void putPadded(MemorySegment s, long off, int width, String value, byte pad, boolean asciiOnly) {
        byte[] bytes = value.getBytes(asciiOnly ? StandardCharsets.US_ASCII : StandardCharsets.UTF_8);
        if (bytes.length > width) {
            throw new IllegalArgumentException("'" + value + "' is " + bytes.length + " bytes; the field at offset "
                    + off + " holds " + width);
        }
        if (asciiOnly) {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c < 0x20 || c > 0x7E) {
                    throw new IllegalArgumentException("'" + value + "' has a non-printable or non-ASCII character at index "
                            + i + "; the field at offset " + off + " is printable ASCII");
                }
            }
        }
        MemorySegment.copy(bytes, 0, s, U8, off, bytes.length);
        s.asSlice(off + bytes.length, width - bytes.length).fill(pad);
    }

    /** Reads a space- or NUL-padded string field, trimming the padding. */
    public static String string(MemorySegment s, long off, int width) {
        byte[] bytes = new byte[width];
        MemorySegment.copy(s, U8, off, bytes, 0, width);
        int end = 0;
        while (end < width && bytes[end] != 0) {
            end++;
        }
        while (end > 0 && bytes[end - 1] == ' ') {
            end--;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    public static byte[] bytes(MemorySegment s, long off, int len) {
        byte[] out = new byte[len];
        MemorySegment.copy(s, U8, off, out, 0, len);
        return out;
    }

    public static void putBytes(MemorySegment s, long off, byte[] src, int expectedLen) {
        if (src.length != expectedLen) {
            throw new IllegalArgumentException("expected " + expectedLen + " bytes for the field at offset " + off
                    + ", got " + src.length);
        }
        MemorySegment.copy(src, 0, s, U8, off, src.length);
    }
}
