package io.nvmfoffload.hostile.tcp;

/**
 * A 16-byte completion queue entry as NVMe Base 2.0 figure 89 lays it out: DW0, DW1, SQHD
 * (bytes 8-9), SQID (10-11), CID (12-13) and the status field (14-15) with the phase tag in bit 0,
 * SC in bits 8:1, SCT in bits 11:9, CRD in bits 13:12, MORE in bit 14 and DNR in bit 15.
 */
public record Cqe(int dw0, int dw1, int sqhd, int sqid, int cid, int status) {
    public static final int SCT_GENERIC = 0;
    public static final int SCT_COMMAND_SPECIFIC = 1;

    /** Decodes the 16 bytes at {@code off}, little-endian as every NVMe structure. */
    public static Cqe decode(byte[] b, int off) {
        return new Cqe(Le.u32(b, off), Le.u32(b, off + 4), Le.u16(b, off + 8), Le.u16(b, off + 10),
                Le.u16(b, off + 12), Le.u16(b, off + 14));
    }

    /** The CQE a C2HData PDU with the SUCCESS flag stands for (TCP transport 1.0, 3.3.6.1). */
    public static Cqe impliedSuccess(int cid) {
        return new Cqe(0, 0, 0, 0, cid, 0);
    }

    public boolean phase() {
        return (status & 1) != 0;
    }

    public int sc() {
        return (status >> 1) & 0xFF;
    }

    public int sct() {
        return (status >> 9) & 0x7;
    }

    public int crd() {
        return (status >> 12) & 0x3;
    }

    public boolean more() {
        return (status & 0x4000) != 0;
    }

    public boolean dnr() {
        return (status & 0x8000) != 0;
    }

    /** SCT and SC as one number, the way nvme.h writes them (0x182 = SCT 1, SC 0x82). */
    public int code() {
        return sct() << 8 | sc();
    }

    public boolean success() {
        return sct() == 0 && sc() == 0;
    }

    /** Invalid Parameter Offset of a Connect Invalid Parameters completion: DW0 bits 15:0. */
    public int ipo() {
        return dw0 & 0xFFFF;
    }

    /** Invalid Attributes: DW0 bits 23:16; bit 0 set means the offset is into the Connect data. */
    public int iattr() {
        return (dw0 >>> 16) & 0xFF;
    }

    @Override
    public String toString() {
        return String.format("CQE[cid=%d sqid=%d sqhd=%d SCT=%d SC=0x%02x%s dw0=0x%08x dw1=0x%08x]",
                cid, sqid, sqhd, sct(), sc(), dnr() ? " DNR" : "", dw0, dw1);
    }
}
