package io.nvmfoffload.softroce.hostile;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * NVMe over Fabrics capsules and RDMA CM private data, every field placed at the offset the NVMe
 * Base, NVMe-oF and RDMA transport binding specifications give: written from them, not from the
 * target's classes, so that a test on it can find the target's parsing faults.
 */
final class RdmaCapsules {
    static final int SQE = 64;
    static final int CONNECT_DATA = 1024;
    /** SQE byte 1: PSDT 01b (SGL, contiguous metadata buffer), which fabrics hosts always set. */
    static final int FLAGS_SGL = 0x40;
    /** SGL identifiers (byte 15 of a descriptor): type in bits 7:4, subtype in 3:0. */
    static final int SGL_DATA_BLOCK_OFFSET = 0x01;
    static final int SGL_KEYED_ADDRESS = 0x40;

    private RdmaCapsules() {}

    /** The RDMA CM request private data: RECFMT, QID, HRQSIZE, HSQSIZE, then 24 reserved bytes. */
    static byte[] cmRequest(int qid, int hrqsize, int hsqsize, int length) {
        return cmRequest(qid, hrqsize, hsqsize, 0, length);
    }

    /** An I/O queue's request names its controller (CNTLID, bytes 8-9), as the NVMe/RDMA binding defines it. */
    static byte[] cmRequest(int qid, int hrqsize, int hsqsize, int cntlid, int length) {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        if (length >= 8) {
            b.putShort(0, (short) 0).putShort(2, (short) qid).putShort(4, (short) hrqsize).putShort(6, (short) hsqsize);
        }
        if (length >= 10) {
            b.putShort(8, (short) cntlid);
        }
        return b.array();
    }

    static ByteBuffer sqe(int opcode, int cid) {
        ByteBuffer b = ByteBuffer.allocate(SQE).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, (byte) opcode).put(1, (byte) FLAGS_SGL).putShort(2, (short) cid);
        return b;
    }

    /** Fabrics Connect (opcode 7Fh, FCTYPE 01h) with its 1024 bytes of data in the capsule. */
    static byte[] connect(int cid, int qid, int sqsize, int kato, int cntlid, String subnqn, String hostnqn, UUID hostId) {
        ByteBuffer b = ByteBuffer.allocate(SQE + CONNECT_DATA).order(ByteOrder.LITTLE_ENDIAN);
        b.put(sqe(0x7F, cid).array());
        b.put(4, (byte) 0x01);
        inCapsuleSgl(b, 0, CONNECT_DATA);
        b.putShort(40, (short) 0).putShort(42, (short) qid).putShort(44, (short) sqsize).put(46, (byte) 0).putInt(48, kato);
        int d = SQE;
        b.order(ByteOrder.BIG_ENDIAN).putLong(d, hostId.getMostSignificantBits()).putLong(d + 8, hostId.getLeastSignificantBits())
                .order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(d + 16, (short) cntlid);
        put(b, d + 256, subnqn);
        put(b, d + 512, hostnqn);
        return b.array();
    }

    /** Property Set (FCTYPE 00h) of a 4-byte property. */
    static byte[] propertySet(int cid, int offset, long value) {
        ByteBuffer b = sqe(0x7F, cid);
        b.put(4, (byte) 0x00).put(40, (byte) 0).putInt(44, offset).putLong(48, value);
        return b.array();
    }

    /** CC with EN = 1, IOSQES 6, IOCQES 4: what a host writes to enable an NVM controller. */
    static byte[] enable(int cid) {
        return propertySet(cid, 0x14, 1 | 6 << 16 | 4 << 20);
    }

    /** An admin or I/O command whose data pointer is a keyed SGL data block (the host's memory). */
    static byte[] keyed(int opcode, int cid, int nsid, long address, int length, int rkey, int cdw10, int cdw11) {
        ByteBuffer b = sqe(opcode, cid);
        b.putInt(4, nsid);
        b.putLong(24, address).put(32, (byte) length).put(33, (byte) (length >>> 8)).put(34, (byte) (length >>> 16))
                .putInt(35, rkey).put(39, (byte) SGL_KEYED_ADDRESS);
        b.putInt(40, cdw10).putInt(44, cdw11);
        return b.array();
    }

    /** A command without data (SGL of length 0). */
    static byte[] noData(int opcode, int cid, int cdw10) {
        ByteBuffer b = sqe(opcode, cid);
        inCapsuleSgl(b, 0, 0);
        b.putInt(40, cdw10);
        return b.array();
    }

    private static void inCapsuleSgl(ByteBuffer b, long offset, int length) {
        b.putLong(24, offset).putInt(32, length).put(39, (byte) SGL_DATA_BLOCK_OFFSET);
    }

    private static void put(ByteBuffer b, int at, String nqn) {
        byte[] bytes = nqn.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            b.put(at + i, bytes[i]);
        }
    }

    /** A completion queue entry as it arrives: DW0, DW1, SQHD, SQID, CID, status (phase in bit 0). */
    record Cqe(int dw0, int dw1, int sqhd, int sqid, int cid, int status) {
        static Cqe parse(ByteBuffer b) {
            b.order(ByteOrder.LITTLE_ENDIAN);
            return new Cqe(b.getInt(0), b.getInt(4), b.getShort(8) & 0xFFFF, b.getShort(10) & 0xFFFF, b.getShort(12) & 0xFFFF,
                    b.getShort(14) & 0xFFFF);
        }

        int sc() {
            return status >>> 1 & 0xFF;
        }

        int sct() {
            return status >>> 9 & 0x7;
        }

        boolean dnr() {
            return (status & 0x8000) != 0;
        }

        @Override
        public String toString() {
            return "CQE[cid " + cid + " sqid " + sqid + " SCT " + sct() + " SC 0x" + Integer.toHexString(sc()) + (dnr() ? " DNR" : "")
                    + " dw0 0x" + Integer.toHexString(dw0) + "]";
        }
    }
}
