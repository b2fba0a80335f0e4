package io.nvmfoffload.hostile.tcp;

import java.util.Arrays;

/**
 * The fuzzer's input read front to back. Past the end every read is 0, so that any input, however
 * short, is a complete session and a seed can be written by hand one step at a time.
 */
final class FuzzBytes {
    private final byte[] bytes;
    private int pos;

    FuzzBytes(byte[] bytes) {
        this.bytes = bytes;
    }

    boolean more() {
        return pos < bytes.length;
    }

    int u8() {
        return pos < bytes.length ? bytes[pos++] & 0xFF : 0;
    }

    /** Four bytes, little-endian as every NVMe field. */
    int u32() {
        return u8() | u8() << 8 | u8() << 16 | u8() << 24;
    }

    /** Up to {@code n} bytes: fewer when the input ends first. */
    byte[] take(int n) {
        int end = Math.min(bytes.length, pos + n);
        byte[] b = Arrays.copyOfRange(bytes, pos, end);
        pos = end;
        return b;
    }
}
