package io.nvmfoffload.hostile.tcp;

/**
 * A 64-byte submission queue entry built field by field from NVMe Base 2.0 figure 88 (common
 * command format) and NVMe over Fabrics 1.1 figure 19 (Fabrics command). Every setter writes the
 * bytes at the spec's offset, so a test can also put any value into any field.
 */
public final class Sqe {
    /** PSDT 01b: SGL with MPTR naming one contiguous buffer; what a fabrics host must send. */
    public static final int PSDT_SGL_MPTR_CONTIGUOUS = 1;
    /** SGL identifier byte: Data Block (0h) with sub type Offset (1h): in-capsule data. */
    public static final int SGL_DATA_BLOCK_OFFSET = 0x01;
    /** SGL identifier byte: Transport SGL Data Block (5h), sub type Transport Specific (Ah). */
    public static final int SGL_TRANSPORT_DATA_BLOCK = 0x5A;

    public static final int OFF_OPCODE = 0;
    public static final int OFF_FLAGS = 1;
    public static final int OFF_CID = 2;
    public static final int OFF_NSID = 4;
    public static final int OFF_FCTYPE = 4;
    public static final int OFF_MPTR = 16;
    public static final int OFF_DPTR = 24;
    public static final int OFF_CDW10 = 40;

    private final byte[] b = new byte[64];

    private Sqe(int opcode) {
        b[OFF_OPCODE] = (byte) opcode;
        psdt(PSDT_SGL_MPTR_CONTIGUOUS);
    }

    public static Sqe of(int opcode) {
        return new Sqe(opcode);
    }

    /** A Fabrics command: opcode 7Fh with the Fabrics Command Type in byte 4. */
    public static Sqe fabrics(int fctype) {
        return new Sqe(0x7F).u8(OFF_FCTYPE, fctype);
    }

    /** PSDT: CDW0 bits 15:14, byte 1 bits 7:6. */
    public Sqe psdt(int psdt) {
        b[OFF_FLAGS] = (byte) ((b[OFF_FLAGS] & 0x3F) | (psdt & 3) << 6);
        return this;
    }

    /** FUSE: CDW0 bits 9:8, byte 1 bits 1:0. */
    public Sqe fuse(int fuse) {
        b[OFF_FLAGS] = (byte) ((b[OFF_FLAGS] & ~3) | (fuse & 3));
        return this;
    }

    public Sqe cid(int cid) {
        return u16(OFF_CID, cid);
    }

    public int cid() {
        return Le.u16(b, OFF_CID);
    }

    public int opcode() {
        return b[OFF_OPCODE] & 0xFF;
    }

    public Sqe nsid(int nsid) {
        return u32(OFF_NSID, nsid);
    }

    /** Command dword n (2..15) at byte 4 * n. */
    public Sqe cdw(int n, int value) {
        if (n < 2 || n > 15) {
            throw new IllegalArgumentException("CDW" + n);
        }
        return u32(4 * n, value);
    }

    /** SGL descriptor 1 in DPTR (bytes 24-39): address, length, 3 reserved bytes, identifier. */
    public Sqe sgl(long address, int length, int identifier) {
        u64(OFF_DPTR, address);
        u32(OFF_DPTR + 8, length);
        b[OFF_DPTR + 12] = 0;
        b[OFF_DPTR + 13] = 0;
        b[OFF_DPTR + 14] = 0;
        return u8(OFF_DPTR + 15, identifier);
    }

    /** In-capsule data of {@code length} bytes at offset 0 of the capsule's data. */
    public Sqe inCapsuleSgl(int length) {
        return sgl(0, length, SGL_DATA_BLOCK_OFFSET);
    }

    /** Data moved by R2T/H2CData (host to controller) or C2HData (controller to host). */
    public Sqe transportSgl(int length) {
        return sgl(0, length, SGL_TRANSPORT_DATA_BLOCK);
    }

    public int sglLength() {
        return Le.u32(b, OFF_DPTR + 8);
    }

    public int sglIdentifier() {
        return b[OFF_DPTR + 15] & 0xFF;
    }

    public Sqe u8(int off, int v) {
        b[off] = (byte) v;
        return this;
    }

    public Sqe u16(int off, int v) {
        Le.put16(b, off, v);
        return this;
    }

    public Sqe u32(int off, int v) {
        Le.put32(b, off, v);
        return this;
    }

    public Sqe u64(int off, long v) {
        Le.put64(b, off, v);
        return this;
    }

    public byte[] bytes() {
        return b.clone();
    }
}
