package io.nvmfoffload.nvmf.transport.rdma;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The RDMA CM request private data as the NVMe-oF RDMA binding lays it out: 32 bytes, RECFMT, QID, HRQSIZE, HSQSIZE, CNTLID. */
class RdmaCmPrivateDataTest {
    private static byte[] request(int length, int recfmt, int qid, int hrqsize, int hsqsize) {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        if (length >= 8) {
            b.putShort(0, (short) recfmt).putShort(2, (short) qid).putShort(4, (short) hrqsize).putShort(6, (short) hsqsize);
        }
        return b.array();
    }

    private static int rejection(byte[] data) {
        return assertThrows(RdmaCmPrivateData.Rejection.class, () -> RdmaCmPrivateData.parse(data, 32, 1024)).status;
    }

    @Test
    void aRequestShorterThanThirtyTwoBytesIsRejectedAsInvalidLength() throws Exception {
        assertEquals(RdmaCmPrivateData.INVALID_LEN, rejection(request(8, 0, 1, 128, 127)));
        assertEquals(RdmaCmPrivateData.INVALID_LEN, rejection(request(31, 0, 1, 128, 127)));
        assertEquals(128, RdmaCmPrivateData.parse(request(32, 0, 1, 128, 127), 32, 1024).queueEntries());
    }

    @Test
    void wrongFieldsAreRejectedWithTheirOwnStatus() {
        assertEquals(RdmaCmPrivateData.INVALID_RECFMT, rejection(request(32, 1, 1, 128, 127)));
        assertEquals(RdmaCmPrivateData.INVALID_HSQSIZE, rejection(request(32, 0, 1, 128, 0)));
        assertEquals(RdmaCmPrivateData.INVALID_HSQSIZE, rejection(request(32, 0, 1, 128, 1024)));
        assertEquals(RdmaCmPrivateData.INVALID_HSQSIZE, rejection(request(32, 0, 0, 32, 32)), "the admin queue has 32 entries at most");
        assertEquals(RdmaCmPrivateData.INVALID_HRQSIZE, rejection(request(32, 0, 1, 0, 127)));
    }

    @Test
    void anIoQueueRequestNamesItsControllerInBytesEightAndNine() throws Exception {
        byte[] data = request(32, 0, 3, 128, 127);
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).putShort(8, (short) 0xABCD);
        assertEquals(0xABCD, RdmaCmPrivateData.parse(data, 32, 1024).cntlid());
        assertEquals(0, RdmaCmPrivateData.parse(request(32, 0, 0, 32, 31), 32, 1024).cntlid(), "left out: 0");
    }
}
