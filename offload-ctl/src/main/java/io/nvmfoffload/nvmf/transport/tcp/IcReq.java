package io.nvmfoffload.nvmf.transport.tcp;

import java.lang.foreign.MemorySegment;

/** The checks of a connection's first PDU, the ICReq (NVMe/TCP 1.0, 3.6.2.2), in the order its bytes arrive. */
final class IcReq {

    private IcReq() {}

    /** The common header: refused at once when it is not an ICReq of 128 bytes, before waiting for the rest. */
    static void checkCommonHeader(MemorySegment header) throws TcpProtocolException {
        int type = Pdu.u8(header, Pdu.TYPE);
        if (type != Pdu.IC_REQ) {
            throw new TcpProtocolException(Pdu.FES_PDU_SEQUENCE_ERROR, Pdu.TYPE, "the first PDU is " + Pdu.typeName(type) + ", not ICReq");
        }
        if (Pdu.u8(header, Pdu.HLEN) != Pdu.IC_LENGTH) {
            throw new TcpProtocolException(Pdu.FES_INVALID_HEADER_FIELD, Pdu.HLEN, "ICReq HLEN is not 128");
        }
        if (header.get(Pdu.U32, Pdu.PLEN) != Pdu.IC_LENGTH) {
            throw new TcpProtocolException(Pdu.FES_INVALID_HEADER_FIELD, Pdu.PLEN, "ICReq PLEN is not 128");
        }
    }

    /** The whole ICReq: PFV 0 and HPDA at most 31; returns the digests asked for (DGST bits 0-1; 2-7 are reserved). */
    static int digests(MemorySegment icReq) throws TcpProtocolException {
        if (icReq.get(Pdu.U16, Pdu.IC_PFV) != 0) {
            throw new TcpProtocolException(Pdu.FES_INVALID_HEADER_FIELD, Pdu.IC_PFV, "ICReq PFV " + icReq.get(Pdu.U16, Pdu.IC_PFV) + " is not 0");
        }
        if (Pdu.u8(icReq, Pdu.IC_HPDA_CPDA) > 31) {
            throw new TcpProtocolException(Pdu.FES_INVALID_HEADER_FIELD, Pdu.IC_HPDA_CPDA, "ICReq HPDA above 31");
        }
        return Pdu.u8(icReq, Pdu.IC_DGST) & 0x3;
    }

}
