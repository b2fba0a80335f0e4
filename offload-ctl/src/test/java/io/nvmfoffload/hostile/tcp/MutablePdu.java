package io.nvmfoffload.hostile.tcp;

import java.util.Arrays;

/**
 * A PDU the fuzzer is about to send: a correct one as {@link PduBuilder} encodes it, then changed
 * by mutations the input chooses. A mutation is a selector byte and a 32-bit value: selectors 0-15
 * change the framing (type, flags, HLEN, PDO, PLEN, digests, padding, truncation) or the data,
 * 16-31 set one named field of the PDU-specific header (an SQE's opcode, flags, CID, NSID, SGL and
 * CDW10-15; an H2CData's CCCID, TTAG, DATAO, DATAL; an ICReq's PFV, HPDA, DGST, MAXR2T). With bit 5
 * of the selector set, a field or length moves by the value's low byte (signed) instead.
 */
final class MutablePdu {
    /** One field of a PDU-specific header: its byte offset after the common header and its width. */
    record Field(String name, int offset, int width) {
    }

    static final Field[] CAPSULE_FIELDS = {
        new Field("opcode", 0, 1), new Field("flags", 1, 1), new Field("cid", 2, 2), new Field("nsid", 4, 4),
        new Field("cdw2", 8, 4), new Field("cdw3", 12, 4), new Field("mptr", 16, 8), new Field("sgl.address", 24, 8),
        new Field("sgl.length", 32, 4), new Field("sgl.id", 39, 1), new Field("cdw10", 40, 4), new Field("cdw11", 44, 4),
        new Field("cdw12", 48, 4), new Field("cdw13", 52, 4), new Field("cdw14", 56, 4), new Field("cdw15", 60, 4),
    };
    static final Field[] H2C_FIELDS = {
        new Field("cccid", 0, 2), new Field("ttag", 2, 2), new Field("datao", 4, 4), new Field("datal", 8, 4),
        new Field("reserved", 12, 4),
    };
    static final Field[] ICREQ_FIELDS = {
        new Field("pfv", 0, 2), new Field("hpda", 2, 1), new Field("dgst", 3, 1), new Field("maxr2t", 4, 4),
        new Field("reserved", 8, 4),
    };
    static final Field[] TERM_FIELDS = {new Field("fes", 0, 2), new Field("fei", 2, 4)};

    private static final int MAX_MUTATIONS = 7;
    private static final int MAX_DATA = 9 * 1024;

    final int type;
    final byte[] specific;
    private final Field[] fields;
    private final int cpda;
    private byte[] data;
    private boolean headerDigest;
    private boolean dataDigest;
    private boolean lastPdu;
    private Integer typeOverride;
    private Integer flags;
    private Integer hlen;
    private Integer pdo;
    private Long plen;
    private boolean badHeaderDigest;
    private boolean badDataDigest;
    private boolean digestsToggled;
    private int extraPad;
    private int truncate = -1;
    private final StringBuilder applied = new StringBuilder();

    private MutablePdu(int type, byte[] specific, Field[] fields, byte[] data, boolean hd, boolean dd, int cpda) {
        this.type = type;
        this.specific = specific;
        this.fields = fields;
        this.data = data == null ? new byte[0] : data;
        this.headerDigest = hd;
        this.dataDigest = dd;
        this.cpda = cpda;
    }

    static MutablePdu capsule(Sqe sqe, byte[] data, boolean hd, boolean dd, int cpda) {
        return new MutablePdu(PduBuilder.CAPSULE_CMD, sqe.bytes(), CAPSULE_FIELDS, data, hd, dd, cpda);
    }

    static MutablePdu h2cData(int cccid, int ttag, int datao, byte[] data, boolean last, boolean hd, boolean dd, int cpda) {
        byte[] s = new byte[16];
        Le.put16(s, 0, cccid);
        Le.put16(s, 2, ttag);
        Le.put32(s, 4, datao);
        Le.put32(s, 8, data.length);
        MutablePdu p = new MutablePdu(PduBuilder.H2C_DATA, s, H2C_FIELDS, data, hd, dd, cpda);
        p.lastPdu = last;
        return p;
    }

    /** ICReq (figure 26): PFV 0, the given HPDA and DGST, MAXR2T 0; never digests, no data. */
    static MutablePdu icReq(int hpda, int dgst) {
        byte[] s = new byte[120];
        s[2] = (byte) hpda;
        s[3] = (byte) dgst;
        return new MutablePdu(PduBuilder.ICREQ, s, ICREQ_FIELDS, null, false, false, 0);
    }

    /** H2CTermReq (figure 22): FES and FEI; never digests. */
    static MutablePdu termReq(int fes, int fei) {
        byte[] s = new byte[16];
        Le.put16(s, 0, fes);
        Le.put32(s, 2, fei);
        return new MutablePdu(PduBuilder.H2C_TERM_REQ, s, TERM_FIELDS, null, false, false, 0);
    }

    /** Reads a mutation count (0-7) and that many mutations from the input and applies them. */
    MutablePdu mutate(FuzzBytes in) {
        int n = in.u8() & MAX_MUTATIONS;
        for (int i = 0; i < n; i++) {
            apply(in.u8(), in.u32());
        }
        return this;
    }

    private void apply(int selector, int v) {
        boolean relative = (selector & 0x20) != 0;
        int delta = (byte) v;
        int s = selector & 0x1F;
        switch (s) {
            case 0 -> typeOverride = v & 0xFF;
            case 1 -> flags = v & 0xFF;
            case 2 -> hlen = relative ? 8 + specific.length + delta : v & 0xFF;
            case 3 -> pdo = relative ? dataStart() + delta : v & 0xFF;
            case 4 -> plen = relative ? correctPlen() + delta : v & 0xFFFFFFFFL;
            case 5 -> badHeaderDigest = true;
            case 6 -> badDataDigest = true;
            case 7 -> extraPad = v & 0x1F;
            case 8 -> truncate = v & 0x7FFFFFFF;
            case 9 -> digestsToggled = true;
            case 10 -> specific[(v >>> 8) % specific.length] = (byte) v;
            case 11 -> Le.put16(specific, ((v >>> 16) % (specific.length - 1)), v);
            case 12 -> {
                if (data.length > 0) {
                    data[(v >>> 8) % data.length] = (byte) v;
                }
            }
            case 13 -> data = Arrays.copyOf(data, relative ? Math.max(0, data.length + delta) : (v >>> 8) % MAX_DATA);
            case 14 -> {
                if (data.length >= Commands.CONNECT_DATA_OFF_CNTLID + 2) {
                    Le.put16(data, Commands.CONNECT_DATA_OFF_CNTLID, v);
                }
            }
            case 15 -> {
                int off = Commands.CONNECT_DATA_OFF_SUBNQN + (v >>> 8) % 512;
                if (off < data.length) {
                    data[off] = (byte) v;
                }
            }
            default -> setField(fields[(s - 16) % fields.length], relative, delta, v);
        }
        applied.append(applied.isEmpty() ? "" : ",").append(name(s)).append(relative ? "+=" + delta : "=0x" + Integer.toHexString(v));
    }

    private void setField(Field f, boolean relative, int delta, int v) {
        long value = relative ? get(f) + delta : f.width() == 8 ? (long) v : v & 0xFFFFFFFFL;
        for (int i = 0; i < f.width(); i++) {
            specific[f.offset() + i] = (byte) (value >>> 8 * i);
        }
    }

    private long get(Field f) {
        long value = 0;
        for (int i = f.width() - 1; i >= 0; i--) {
            value = value << 8 | (specific[f.offset() + i] & 0xFF);
        }
        return value;
    }

    private String name(int s) {
        return s >= 16 ? fields[(s - 16) % fields.length].name() : switch (s) {
            case 0 -> "type";
            case 1 -> "flags";
            case 2 -> "hlen";
            case 3 -> "pdo";
            case 4 -> "plen";
            case 5 -> "bad-hdgst";
            case 6 -> "bad-ddgst";
            case 7 -> "pad";
            case 8 -> "truncate";
            case 9 -> "digests-toggled";
            case 10 -> "header-byte";
            case 11 -> "header-u16";
            case 12 -> "data-byte";
            case 13 -> "data-length";
            case 14 -> "connect.cntlid";
            default -> "connect.nqn-byte";
        };
    }

    private boolean hd() {
        return headerDigest ^ digestsToggled;
    }

    private boolean dd() {
        return dataDigest ^ digestsToggled;
    }

    private int headerEnd() {
        return 8 + specific.length + (hd() ? 4 : 0);
    }

    /** PAD bytes that bring the data to the (CPDA + 1) dword alignment the ICResp asked for. */
    private int alignmentPad() {
        int align = (cpda + 1) * 4;
        return (align - headerEnd() % align) % align;
    }

    private int pad() {
        return data.length > 0 ? alignmentPad() + extraPad : 0;
    }

    private int dataStart() {
        return headerEnd() + pad();
    }

    private long correctPlen() {
        return data.length == 0 ? headerEnd() : (long) dataStart() + data.length + (dd() ? 4 : 0);
    }

    private int defaultFlags() {
        return (hd() ? PduBuilder.FLAG_HDGSTF : 0) | (dd() && data.length > 0 ? PduBuilder.FLAG_DDGSTF : 0)
                | (lastPdu ? PduBuilder.FLAG_LAST_PDU : 0);
    }

    /** Any mutation applied: the PDU is not the correct one. */
    boolean mutated() {
        return !applied.isEmpty();
    }

    /**
     * True when the target may no longer find the next PDU where the host puts it: the type,
     * lengths, digest flags or digests changed, or the PDU was cut short. Past such a PDU the host
     * cannot tell which of its bytes the target reads as what.
     */
    boolean framingChanged() {
        return typeOverride != null || hlen != null || pdo != null || plen != null || truncate >= 0 || digestsToggled
                || badHeaderDigest || flags != null && ((flags ^ defaultFlags()) & 3) != 0;
    }

    int cid() {
        return Le.u16(specific, Sqe.OFF_CID);
    }

    byte[] data() {
        return data;
    }

    /** The bytes on the wire. */
    byte[] encode() {
        PduBuilder p = PduBuilder.raw(typeOverride != null ? typeOverride : type, specific)
                .digests(hd(), dd()).data(data).pad(pad());
        if (lastPdu) {
            p.flag(PduBuilder.FLAG_LAST_PDU);
        }
        if (flags != null) {
            p.flags(flags);
        }
        if (hlen != null) {
            p.hlen(hlen);
        }
        if (pdo != null) {
            p.pdo(pdo);
        }
        if (plen != null) {
            p.plen(plen);
        }
        if (badHeaderDigest) {
            p.corruptHeaderDigest();
        }
        if (badDataDigest) {
            p.corruptDataDigest();
        }
        byte[] wire = p.encode();
        return truncate >= 0 ? Arrays.copyOf(wire, truncate % wire.length) : wire;
    }

    @Override
    public String toString() {
        return String.format("type 0x%02x%s%s", typeOverride != null ? typeOverride : type,
                data.length > 0 ? " data " + data.length : "", applied.isEmpty() ? "" : " [" + applied + "]");
    }
}
