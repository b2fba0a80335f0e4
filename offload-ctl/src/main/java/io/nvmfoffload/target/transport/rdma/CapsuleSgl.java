package io.nvmfoffload.target.transport.rdma;

import io.nvmfoffload.nvme.spec.NvmeStatus;
import io.nvmfoffload.nvme.spec.SubmissionQueueEntry;
import io.nvmfoffload.target.core.DataDirection;
import io.nvmfoffload.target.core.TargetCore;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Where a command capsule received over RDMA keeps its data, decoded from the SQE's SGL as
 * nvmet-rdma's map_sgl does: none, in the capsule (data block, offset subtype) or at the host
 * (keyed data block, address or invalidate subtype). A pure decoder of untrusted bytes: it touches
 * no resource, so it can be fuzzed, and every value it accepts is in range for the caller. One
 * instance per poller, reused for each capsule.
 */
final class CapsuleSgl {
    enum Kind { NO_DATA, IN_CAPSULE, KEYED, REJECT }

    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    Kind kind;
    /** IN_CAPSULE: the data's offset from the end of the SQE, and its length. */
    long offset;
    int length;
    /** KEYED: the host's memory and key, and whether the response should invalidate the key. */
    long remoteAddress;
    int remoteKey;
    boolean invalidate;
    /** REJECT: the status the command fails with. */
    NvmeStatus status;

    /**
     * Decodes the SGL of {@code command} (an SQE) for a capsule of {@code capsuleLength} bytes
     * whose command moves data {@code direction}.
     */
    CapsuleSgl decode(MemorySegment command, DataDirection direction, int capsuleLength) {
        offset = 0;
        length = 0;
        remoteAddress = 0;
        remoteKey = 0;
        invalidate = false;
        status = null;
        if (direction == DataDirection.NONE) {
            kind = Kind.NO_DATA;
            return this;
        }
        long dptr = SubmissionQueueEntry.DPTR;
        int sglId = command.get(ValueLayout.JAVA_BYTE, dptr + 15) & 0xFF;
        int type = sglId >>> 4;
        int subtype = sglId & 0xF;
        if (type == 0 && subtype == 1) {
            long off = command.get(U64, dptr);
            long len = Integer.toUnsignedLong(command.get(U32, dptr + 8));
            long available = Math.max(0, capsuleLength - SubmissionQueueEntry.SIZE);
            // unsigned both, so no sum of the two can wrap around and pass
            if (direction != DataDirection.HOST_TO_CONTROLLER || off < 0 || off > available || len > available - off) {
                return reject(NvmeStatus.SGL_OFFSET_INVALID);
            }
            kind = Kind.IN_CAPSULE;
            offset = off;
            length = (int) len;
            return this;
        }
        if (type != 4 || (subtype != 0 && subtype != 0xF)) {
            return reject(NvmeStatus.SGL_DESCRIPTOR_TYPE_INVALID);
        }
        long len = command.get(U64, dptr + 8) & 0xFFFFFF;
        if (len > TargetCore.MAX_TRANSFER_BYTES || direction == DataDirection.BIDIRECTIONAL) {
            return reject(NvmeStatus.DATA_SGL_LENGTH_INVALID);
        }
        kind = Kind.KEYED;
        length = (int) len;
        remoteAddress = command.get(U64, dptr);
        remoteKey = command.get(U32, dptr + 11);
        invalidate = subtype == 0xF;
        return this;
    }

    private CapsuleSgl reject(NvmeStatus s) {
        kind = Kind.REJECT;
        status = s;
        return this;
    }
}
