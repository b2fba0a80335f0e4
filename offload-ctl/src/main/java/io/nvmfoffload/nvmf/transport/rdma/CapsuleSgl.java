package io.nvmfoffload.nvmf.transport.rdma;

import io.nvmfoffload.nvme.spec.NvmeStatus;
import io.nvmfoffload.nvme.spec.SglDescriptor;
import io.nvmfoffload.nvme.spec.SubmissionQueueEntry;
import io.nvmfoffload.nvmf.core.DataDirection;

import java.lang.foreign.MemorySegment;

/**
 * Where a command capsule received over RDMA keeps its data, decoded from the SQE's SGL as
 * nvmet-rdma's map_sgl does: none, in the capsule (data block, offset subtype) or at the host
 * (keyed data block, address or invalidate subtype). A pure decoder of untrusted bytes: it touches
 * no resource, so it can be fuzzed, and every value it accepts is in range for the caller. One
 * instance per poller, reused for each capsule.
 */
final class CapsuleSgl {
    enum Kind { NO_DATA, IN_CAPSULE, KEYED, REJECT }

    private final SglDescriptor view = new SglDescriptor();
    private final int maxTransferBytes;

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

    /** @param maxTransferBytes the port's max_io_size: a keyed transfer beyond it is refused */
    CapsuleSgl(int maxTransferBytes) {
        this.maxTransferBytes = maxTransferBytes;
    }

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
        SglDescriptor sgl = view.wrap(command, SubmissionQueueEntry.DPTR);
        if (sgl.type() == SglDescriptor.TYPE_DATA_BLOCK && sgl.subtype() == SglDescriptor.SUBTYPE_OFFSET) {
            long off = sgl.address();
            long len = sgl.length();
            long available = Math.max(0, capsuleLength - SubmissionQueueEntry.SIZE);
            if (direction != DataDirection.HOST_TO_CONTROLLER || !SglDescriptor.fitsInCapsule(off, len, available)) {
                return reject(NvmeStatus.SGL_OFFSET_INVALID);
            }
            kind = Kind.IN_CAPSULE;
            offset = off;
            length = (int) len;
            return this;
        }
        if (!sgl.isKeyedSubtypeDefined()) {
            return reject(NvmeStatus.SGL_DESCRIPTOR_TYPE_INVALID);
        }
        long len = sgl.length();
        // beyond MDTS: Data SGL Length Invalid, as nvmet answers an SGL whose length it will not transfer
        if (len > maxTransferBytes || direction == DataDirection.BIDIRECTIONAL) {
            return reject(NvmeStatus.DATA_SGL_LENGTH_INVALID);
        }
        kind = Kind.KEYED;
        length = (int) len;
        remoteAddress = sgl.address();
        remoteKey = sgl.key();
        invalidate = sgl.subtype() == SglDescriptor.SUBTYPE_INVALIDATE_KEY;
        return this;
    }

    private CapsuleSgl reject(NvmeStatus s) {
        kind = Kind.REJECT;
        status = s;
        return this;
    }
}
