package io.nvmfoffload.nvmf.transport.rdma;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The NVMe-oF RDMA transport's connection private data (NVMe-oF 1.1, RDMA binding): what a host
 * sends with its CM connect request, what the target accepts or rejects with.
 */
final class RdmaCmPrivateData {
    static final int REQUEST_LENGTH = 32;

    // Reject status values (NVME_RDMA_CM_*)
    static final int INVALID_LEN = 0x01;
    static final int INVALID_RECFMT = 0x02;
    static final int INVALID_QID = 0x03;
    static final int INVALID_HSQSIZE = 0x04;
    static final int INVALID_HRQSIZE = 0x05;
    static final int NO_RSC = 0x06;

    /**
     * A host's request: queue id, host receive queue size, host send queue size (0-based), and for an
     * I/O queue the controller it is for (CNTLID; 0 or FFFFh where a host leaves it out).
     */
    record Request(int recfmt, int qid, int hrqsize, int hsqsize, int cntlid) {
        /** Receive entries the target needs for this queue: HSQSIZE + 1. */
        int queueEntries() {
            return hsqsize + 1;
        }
    }

    /** Thrown for private data a target must reject; {@link #status} goes back to the host. */
    static final class Rejection extends Exception {
        final int status;

        Rejection(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private RdmaCmPrivateData() {}

    static Request parse(byte[] data, int adminQueueEntries, int maxIoQueueEntries) throws Rejection {
        // the request is 32 bytes (24 reserved), as nvmet_rdma_parse_cm_connect_req requires
        if (data.length < REQUEST_LENGTH) {
            throw new Rejection(INVALID_LEN, "CM request private data is " + data.length + " bytes, " + REQUEST_LENGTH + " expected");
        }
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        Request r = new Request(b.getShort(0) & 0xFFFF, b.getShort(2) & 0xFFFF, b.getShort(4) & 0xFFFF, b.getShort(6) & 0xFFFF,
                b.getShort(8) & 0xFFFF);
        if (r.recfmt() != 0) {
            throw new Rejection(INVALID_RECFMT, "CM request RECFMT " + r.recfmt() + " is not 0");
        }
        int limit = r.qid() == 0 ? adminQueueEntries : maxIoQueueEntries;
        if (r.queueEntries() < 2 || r.queueEntries() > limit) {
            throw new Rejection(INVALID_HSQSIZE, "CM request HSQSIZE " + r.hsqsize() + " gives " + r.queueEntries()
                    + " entries, outside 2.." + limit + " for qid " + r.qid());
        }
        if (r.hrqsize() < 1 || r.hrqsize() > limit) {
            throw new Rejection(INVALID_HRQSIZE, "CM request HRQSIZE " + r.hrqsize() + " outside 1.." + limit);
        }
        return r;
    }

    /** Accept: RECFMT 0 and CRQSIZE, the controller receive queue size granted. */
    static byte[] accept(int crqsize) {
        return ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN).putShort(0, (short) 0).putShort(2, (short) crqsize).array();
    }

    /** Reject: RECFMT 0 and the status. */
    static byte[] reject(int status) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort(0, (short) 0).putShort(2, (short) status).array();
    }
}
