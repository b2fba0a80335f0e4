package io.nvmfoffload.hostile.tcp;

/** Little-endian field access: NVMe and NVMe/TCP put every multi-byte field in this order. */
final class Le {
    private Le() {
    }

    static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
    }

    static int u32(byte[] b, int off) {
        return u16(b, off) | u16(b, off + 2) << 16;
    }

    static long u64(byte[] b, int off) {
        return (u32(b, off) & 0xFFFFFFFFL) | (long) u32(b, off + 4) << 32;
    }

    static void put16(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >> 8);
    }

    static void put32(byte[] b, int off, int v) {
        put16(b, off, v);
        put16(b, off + 2, v >>> 16);
    }

    static void put64(byte[] b, int off, long v) {
        put32(b, off, (int) v);
        put32(b, off + 4, (int) (v >>> 32));
    }
}
