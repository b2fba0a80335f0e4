package io.nvmfoffload.hostile.tcp;

/**
 * One PDU read from the target, split as TCP transport 1.0 section 3.3 describes: the whole header
 * (HLEN bytes), the header digest if HDGSTF was set, the data from PDO on, and the data digest if
 * DDGSTF was set. Typed accessors read each PDU type's fields at the spec's offsets.
 */
public record ReceivedPdu(byte[] header, byte[] data, boolean headerDigestOk, boolean dataDigestOk) {

    public int type() {
        return header[PduBuilder.OFF_TYPE] & 0xFF;
    }

    public int flags() {
        return header[PduBuilder.OFF_FLAGS] & 0xFF;
    }

    public int hlen() {
        return header[PduBuilder.OFF_HLEN] & 0xFF;
    }

    public int pdo() {
        return header[PduBuilder.OFF_PDO] & 0xFF;
    }

    public long plen() {
        return Le.u32(header, PduBuilder.OFF_PLEN) & 0xFFFFFFFFL;
    }

    public boolean hasFlag(int flag) {
        return (flags() & flag) != 0;
    }

    // --- ICResp (figure 27): PFV 8-9, CPDA 10, DGST 11, MAXH2CDATA 12-15 ---

    public int pfv() {
        return Le.u16(header, 8);
    }

    public int cpda() {
        return header[10] & 0xFF;
    }

    public int dgst() {
        return header[11] & 0xFF;
    }

    public int maxH2cData() {
        return Le.u32(header, 12);
    }

    // --- CapsuleResp (figure 30): the 16-byte CQE at 8-23 ---

    public Cqe cqe() {
        return Cqe.decode(header, 8);
    }

    // --- C2HData (figure 32) and R2T (figure 33): CCCID 8-9, TTAG 10-11 (R2T), offset 12-15, length 16-19 ---

    public int cccid() {
        return Le.u16(header, 8);
    }

    public int ttag() {
        return Le.u16(header, 10);
    }

    /** DATAO of C2HData, R2TO of R2T. */
    public int dataOffset() {
        return Le.u32(header, 12);
    }

    /** DATAL of C2HData, R2TL of R2T. */
    public int dataLength() {
        return Le.u32(header, 16);
    }

    // --- C2HTermReq (figure 23): FES 8-9, FEI 10-13 ---

    public int fes() {
        return Le.u16(header, 8);
    }

    public int fei() {
        return Le.u32(header, 10);
    }

    public String describe() {
        String base = String.format("PDU type 0x%02x flags 0x%02x hlen %d pdo %d plen %d", type(), flags(), hlen(),
                pdo(), plen());
        return switch (type()) {
            case PduBuilder.CAPSULE_RESP -> base + " " + cqe();
            case PduBuilder.C2H_TERM_REQ -> base + String.format(" FES 0x%02x FEI 0x%x", fes(), fei());
            case PduBuilder.C2H_DATA, PduBuilder.R2T -> base + String.format(" cccid %d ttag %d off %d len %d",
                    cccid(), ttag(), dataOffset(), dataLength());
            default -> base;
        };
    }

    @Override
    public String toString() {
        return describe();
    }
}
