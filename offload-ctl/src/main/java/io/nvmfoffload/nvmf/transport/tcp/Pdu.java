package io.nvmfoffload.nvmf.transport.tcp;

/** NVMe/TCP PDU types, flags, header lengths and field offsets (NVMe/TCP transport spec 1.0). */
final class Pdu {
    static final int IC_REQ = 0x00;
    static final int IC_RESP = 0x01;
    static final int H2C_TERM_REQ = 0x02;
    static final int C2H_TERM_REQ = 0x03;
    static final int CAPSULE_CMD = 0x04;
    static final int CAPSULE_RESP = 0x05;
    static final int H2C_DATA = 0x06;
    static final int C2H_DATA = 0x07;
    static final int R2T = 0x09;

    static final int FLAG_HDGST = 0x01;
    static final int FLAG_DDGST = 0x02;
    static final int FLAG_DATA_LAST = 0x04;
    static final int FLAG_DATA_SUCCESS = 0x08;

    static final int COMMON_HEADER = 8;
    static final int IC_LENGTH = 128;
    static final int CAPSULE_CMD_HLEN = 72;
    static final int CAPSULE_RESP_HLEN = 24;
    static final int DATA_HLEN = 24;
    static final int R2T_HLEN = 24;
    static final int TERM_HLEN = 24;
    static final int DIGEST = 4;

    // common header
    static final int TYPE = 0;
    static final int FLAGS = 1;
    static final int HLEN = 2;
    static final int PDO = 3;
    static final int PLEN = 4;
    // ICReq / ICResp
    static final int IC_PFV = 8;
    static final int IC_HPDA_CPDA = 10;
    static final int IC_DGST = 11;
    static final int IC_MAXR2T_MAXDATA = 12;
    // data PDUs and R2T
    static final int CCCID = 8;
    static final int TTAG = 10;
    static final int DATAO = 12;
    static final int DATAL = 16;
    // termination requests
    static final int TERM_FES = 8;
    static final int TERM_FEI = 10;

    /** Fatal error statuses of a termination request. */
    static final int FES_INVALID_HEADER_FIELD = 0x01;
    static final int FES_PDU_SEQUENCE_ERROR = 0x02;
    static final int FES_HEADER_DIGEST_ERROR = 0x03;
    static final int FES_DATA_OUT_OF_RANGE = 0x04;
    static final int FES_DATA_LIMIT_EXCEEDED = 0x05;
    static final int FES_UNSUPPORTED_PARAMETER = 0x06;

    /** Little-endian views of header fields, as every PDU carries them. */
    static final java.lang.foreign.ValueLayout.OfShort U16 =
            java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    static final java.lang.foreign.ValueLayout.OfInt U32 =
            java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    private Pdu() {}

    /** An unsigned byte of a header. */
    static int u8(java.lang.foreign.MemorySegment seg, long offset) {
        return seg.get(java.lang.foreign.ValueLayout.JAVA_BYTE, offset) & 0xFF;
    }

    /** The CRC32C digest (HDGST, DDGST) of {@code length} bytes of {@code seg} from {@code offset}, with {@code crc} reset first. */
    static int digest(java.util.zip.CRC32C crc, java.lang.foreign.MemorySegment seg, long offset, long length) {
        crc.reset();
        crc.update(seg.asSlice(offset, length).asByteBuffer());
        return (int) crc.getValue();
    }

    static String typeName(int type) {
        return switch (type) {
            case IC_REQ -> "ICReq";
            case IC_RESP -> "ICResp";
            case H2C_TERM_REQ -> "H2CTermReq";
            case C2H_TERM_REQ -> "C2HTermReq";
            case CAPSULE_CMD -> "CapsuleCmd";
            case CAPSULE_RESP -> "CapsuleResp";
            case H2C_DATA -> "H2CData";
            case C2H_DATA -> "C2HData";
            case R2T -> "R2T";
            default -> "PDU type 0x" + Integer.toHexString(type);
        };
    }
}
