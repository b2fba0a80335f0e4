package io.nvmfoffload.offload.emulated;

import io.nvmfoffload.nvme.spec.SglDescriptor;
import io.nvmfoffload.nvme.spec.SubmissionQueueEntry;
import io.nvmfoffload.verbs.nvmf.OffloadOp;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Set;

/**
 * Decides whether the engine executes a capsule: a Read, Write or Flush within the ops mask, to a
 * namespace mapped on an active backend, not fused, within max_io_sz, with the SGL the NVMe/RDMA
 * transport uses (a keyed data block of subtype 0h or Fh, or for a write an in-capsule data block
 * at an offset) and a length that matches the blocks. Anything else goes to the software path,
 * which answers it as the specification says. Guarded by the context's lock.
 */
final class CapsuleClassifier {
    static final int OPC_FLUSH = 0x00;
    static final int OPC_WRITE = 0x01;
    static final int OPC_READ = 0x02;
    /** Fabrics commands (Connect, Property Get/Set, ...) name no namespace. */
    static final int OPC_FABRICS = 0x7F;
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** CDW12 bits 15:0: Number of Logical Blocks, 0's based. */
    private static final int CDW12 = SubmissionQueueEntry.CDW10 + 8;

    private final NamespaceRoutes routes;
    private final boolean offloadRead;
    private final boolean offloadWrite;
    private final boolean offloadFlush;
    private final long maxIoSize;
    private final SglDescriptor sgl = new SglDescriptor();
    private final ClassifiedCapsule found = new ClassifiedCapsule();
    private long unknownNamespaceCommands;

    CapsuleClassifier(NamespaceRoutes routes, Set<OffloadOp> ops, long maxIoSize) {
        this.routes = routes;
        this.offloadRead = ops.contains(OffloadOp.READ);
        this.offloadWrite = ops.contains(OffloadOp.WRITE);
        this.offloadFlush = ops.contains(OffloadOp.FLUSH);
        this.maxIoSize = maxIoSize;
    }

    /**
     * I/O capsules of any opcode (Fabrics commands aside) for namespaces this context does not map,
     * handed to software, as the device's cmd_unknown_namespace_cnt: each counted once, on arrival.
     */
    long unknownNamespaceCommands() {
        return unknownNamespaceCommands;
    }

    /**
     * What the capsule of {@code length} bytes at {@code base} of {@code capsule}, just arrived, asks
     * the engine to do, or null when the software path serves it. The result is this classifier's
     * one holder, valid until the next call.
     */
    ClassifiedCapsule classify(MemorySegment capsule, long base, int length) {
        return classify(capsule, base, length, true);
    }

    /** {@link #classify} of a capsule held back for a slot and offered again: it was counted when it arrived. */
    ClassifiedCapsule classifyAgain(MemorySegment capsule, long base, int length) {
        return classify(capsule, base, length, false);
    }

    private ClassifiedCapsule classify(MemorySegment capsule, long base, int length, boolean arrival) {
        if (length < SubmissionQueueEntry.SIZE) {
            return null;
        }
        int opcode = capsule.get(ValueLayout.JAVA_BYTE, base + SubmissionQueueEntry.OPCODE) & 0xFF;
        if (opcode == OPC_FABRICS) {
            return null;
        }
        NamespaceRoute r = routes.get(capsule.get(U32, base + SubmissionQueueEntry.NSID));
        if (r == null) {
            if (arrival) {
                unknownNamespaceCommands++;
            }
            return null;
        }
        boolean wanted = switch (opcode) {
            case OPC_READ -> offloadRead;
            case OPC_WRITE -> offloadWrite;
            case OPC_FLUSH -> offloadFlush;
            default -> false;
        };
        // FUSE (byte 1, bits 1:0): a fused pair must never run half, so software refuses it whole
        if (!wanted || (capsule.get(ValueLayout.JAVA_BYTE, base + SubmissionQueueEntry.FLAGS) & 0x3) != 0) {
            return null;
        }
        if (r.controller.state() != EmulatedBackendController.State.ACTIVE) {
            return null;
        }
        ClassifiedCapsule f = found;
        f.route = r;
        f.opcode = opcode;
        f.inCapsule = false;
        f.invalidate = false;
        if (opcode == OPC_FLUSH) {
            f.length = 0;
            f.blocks = 0;
            return f;
        }
        f.blocks = (capsule.get(U32, base + CDW12) & 0xFFFF) + 1;
        long bytes = (long) f.blocks * r.mapping.lbaDataSize();
        if (bytes > maxIoSize) {
            return null;
        }
        f.length = (int) bytes;
        sgl.wrap(capsule, base + SubmissionQueueEntry.DPTR);
        if (sgl.isKeyed()) {
            // a keyed subtype the binding does not define goes to the software path, which refuses it
            if (sgl.length() != bytes || !sgl.isKeyedSubtypeDefined()) {
                return null;
            }
            f.remoteAddress = sgl.address();
            f.remoteKey = sgl.key();
            f.invalidate = sgl.subtype() == SglDescriptor.SUBTYPE_INVALIDATE_KEY;
            return f;
        }
        if (opcode == OPC_WRITE && sgl.type() == SglDescriptor.TYPE_DATA_BLOCK && sgl.subtype() == SglDescriptor.SUBTYPE_OFFSET) {
            long offset = sgl.address();
            // the same check as the software path's CapsuleSgl: no offset near 2^63 can wrap past it
            if (sgl.length() != bytes || !SglDescriptor.fitsInCapsule(offset, bytes, length - SubmissionQueueEntry.SIZE)) {
                return null;
            }
            f.inCapsule = true;
            f.dataOffset = SubmissionQueueEntry.SIZE + offset;
            return f;
        }
        return null;
    }
}
