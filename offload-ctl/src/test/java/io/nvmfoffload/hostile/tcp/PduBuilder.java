package io.nvmfoffload.hostile.tcp;

import java.io.ByteArrayOutputStream;
import java.util.zip.CRC32C;

/**
 * Encodes one NVMe/TCP PDU (TCP Transport Specification 1.0, section 3.3): the 8-byte common
 * header (PDU-Type, FLAGS, HLEN, PDO, PLEN), the PDU-specific header, the optional header digest,
 * PAD bytes up to PDO, the data and the optional data digest. HLEN, PDO, PLEN and FLAGS default to
 * the values a correct sender computes; each can be overridden to any value, so a test can send a
 * PDU that lies about its own lengths.
 */
public final class PduBuilder {
    public static final int ICREQ = 0x00;
    public static final int ICRESP = 0x01;
    public static final int H2C_TERM_REQ = 0x02;
    public static final int C2H_TERM_REQ = 0x03;
    public static final int CAPSULE_CMD = 0x04;
    public static final int CAPSULE_RESP = 0x05;
    public static final int H2C_DATA = 0x06;
    public static final int C2H_DATA = 0x07;
    public static final int R2T = 0x09;

    public static final int FLAG_HDGSTF = 0x01;
    public static final int FLAG_DDGSTF = 0x02;
    public static final int FLAG_LAST_PDU = 0x04;
    public static final int FLAG_SUCCESS = 0x08;

    /** Offsets in the common header, which a C2HTermReq's FEI names for a bad field. */
    public static final int OFF_TYPE = 0;
    public static final int OFF_FLAGS = 1;
    public static final int OFF_HLEN = 2;
    public static final int OFF_PDO = 3;
    public static final int OFF_PLEN = 4;

    private final int type;
    private final byte[] specific;
    private int extraFlags;
    private Integer flagsOverride;
    private Integer hlenOverride;
    private Integer pdoOverride;
    private Long plenOverride;
    private boolean headerDigest;
    private boolean dataDigest;
    private boolean badHeaderDigest;
    private boolean badDataDigest;
    private int pad;
    private byte[] data = new byte[0];

    private PduBuilder(int type, byte[] specific) {
        this.type = type;
        this.specific = specific;
    }

    /** Any PDU type with the given PDU-specific header (the header bytes after the first 8). */
    public static PduBuilder raw(int type, byte[] specificHeader) {
        return new PduBuilder(type, specificHeader.clone());
    }

    /** ICReq (figure 26): PFV 8-9, HPDA 10, DGST 11 (bit 0 HDGST_ENABLE, bit 1 DDGST_ENABLE), MAXR2T 12-15. */
    public static PduBuilder icReq(int pfv, int hpda, int dgst, int maxr2t) {
        byte[] s = new byte[120];
        Le.put16(s, 0, pfv);
        s[2] = (byte) hpda;
        s[3] = (byte) dgst;
        Le.put32(s, 4, maxr2t);
        return new PduBuilder(ICREQ, s);
    }

    /** CapsuleCmd (figure 29): the 64-byte SQE is the whole PDU-specific header (HLEN 72). */
    public static PduBuilder capsuleCmd(byte[] sqe) {
        return new PduBuilder(CAPSULE_CMD, sqe.clone());
    }

    /** H2CData (figure 31): CCCID 8-9, TTAG 10-11, DATAO 12-15, DATAL 16-19, reserved 20-23. */
    public static PduBuilder h2cData(int cccid, int ttag, int datao, int datal) {
        byte[] s = new byte[16];
        Le.put16(s, 0, cccid);
        Le.put16(s, 2, ttag);
        Le.put32(s, 4, datao);
        Le.put32(s, 8, datal);
        return new PduBuilder(H2C_DATA, s);
    }

    /** H2CTermReq (figure 22): FES 8-9, FEI 10-13, reserved 14-23; data is the offending header. */
    public static PduBuilder h2cTermReq(int fes, int fei) {
        byte[] s = new byte[16];
        Le.put16(s, 0, fes);
        Le.put32(s, 2, fei);
        return new PduBuilder(H2C_TERM_REQ, s);
    }

    /** Adds header and data digests the way the connection negotiated them. */
    public PduBuilder digests(boolean header, boolean dataDigest) {
        this.headerDigest = header;
        this.dataDigest = dataDigest;
        return this;
    }

    public PduBuilder data(byte[] data) {
        this.data = data.clone();
        return this;
    }

    /** PAD bytes (zeros) between the header (and its digest) and the data; PDO grows with them. */
    public PduBuilder pad(int bytes) {
        this.pad = bytes;
        return this;
    }

    /** Flags ORed into the computed ones (LAST_PDU for H2CData, for instance). */
    public PduBuilder flag(int flag) {
        this.extraFlags |= flag;
        return this;
    }

    public PduBuilder flags(int flags) {
        this.flagsOverride = flags;
        return this;
    }

    public PduBuilder hlen(int hlen) {
        this.hlenOverride = hlen;
        return this;
    }

    public PduBuilder pdo(int pdo) {
        this.pdoOverride = pdo;
        return this;
    }

    public PduBuilder plen(long plen) {
        this.plenOverride = plen;
        return this;
    }

    public PduBuilder corruptHeaderDigest() {
        this.badHeaderDigest = true;
        return this;
    }

    public PduBuilder corruptDataDigest() {
        this.badDataDigest = true;
        return this;
    }

    /** The bytes on the wire. */
    public byte[] encode() {
        int headerBytes = 8 + specific.length;
        boolean hasData = data.length > 0;
        int hd = headerDigest ? 4 : 0;
        int dd = dataDigest && hasData ? 4 : 0;
        int dataStart = headerBytes + hd + pad;
        int flags = flagsOverride != null ? flagsOverride
                : (headerDigest ? FLAG_HDGSTF : 0) | (dd != 0 ? FLAG_DDGSTF : 0) | extraFlags;
        int hlen = hlenOverride != null ? hlenOverride : headerBytes;
        int pdo = pdoOverride != null ? pdoOverride : hasData ? dataStart : 0;
        long plen = plenOverride != null ? plenOverride : (long) dataStart + data.length + dd;

        byte[] header = new byte[headerBytes];
        header[OFF_TYPE] = (byte) type;
        header[OFF_FLAGS] = (byte) flags;
        header[OFF_HLEN] = (byte) hlen;
        header[OFF_PDO] = (byte) pdo;
        Le.put32(header, OFF_PLEN, (int) plen);
        System.arraycopy(specific, 0, header, 8, specific.length);

        ByteArrayOutputStream out = new ByteArrayOutputStream(dataStart + data.length + dd);
        out.writeBytes(header);
        if (hd != 0) {
            out.writeBytes(digest(header, 0, header.length, badHeaderDigest));
        }
        out.writeBytes(new byte[pad]);
        out.writeBytes(data);
        if (dd != 0) {
            out.writeBytes(digest(data, 0, data.length, badDataDigest));
        }
        return out.toByteArray();
    }

    /** CRC32C (the digest of TCP transport 1.0 section 3.3.8), sent little-endian. */
    public static int crc32c(byte[] b, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(b, off, len);
        return (int) crc.getValue();
    }

    private static byte[] digest(byte[] b, int off, int len, boolean corrupt) {
        byte[] d = new byte[4];
        Le.put32(d, 0, crc32c(b, off, len) ^ (corrupt ? 0x5A5A5A5A : 0));
        return d;
    }
}
