package io.nvmfoffload.nvmf.core;

import io.nvmfoffload.nvme.spec.NvmOpcode;
import io.nvmfoffload.nvme.spec.NvmeStatus;
import io.nvmfoffload.nvme.spec.NvmeStatusException;
import io.nvmfoffload.nvme.spec.SubmissionQueueEntry;
import io.nvmfoffload.nvme.store.NamespaceStore;
import io.nvmfoffload.nvmf.NamespaceCounters;
import io.nvmfoffload.nvmf.TargetNamespace;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** The NVM command set on the software path: read, write, flush, write zeroes, dataset management. */
final class IoCommands {
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final int DSM_ATTRIBUTE_DEALLOCATE = 1 << 2;
    private static final int WRITE_ZEROES_DEALLOCATE = 1 << 25;

    void execute(Request request, Controller ctrl) {
        SubmissionQueueEntry sqe = request.sqe();
        TargetNamespace ns = ctrl.subsystem().namespace(sqe.nsid());
        if (ns == null) {
            throw new NvmeStatusException(NvmeStatus.INVALID_NAMESPACE_OR_FORMAT,
                    "namespace " + Integer.toUnsignedString(sqe.nsid()) + " is not active in " + ctrl.subsystemNqn());
        }
        NamespaceCounters counters = ns.counters();
        try {
            run(request, sqe, ns.store(), counters);
        } catch (NvmeStatusException e) {
            counters.errorCommands.increment();
            throw e;
        }
        request.queue().finish(request, 0, 0);
    }

    private static void run(Request request, SubmissionQueueEntry sqe, NamespaceStore store, NamespaceCounters counters) {
        int opcode = sqe.opcode();
        switch (opcode) {
            case NvmOpcode.READ, NvmOpcode.WRITE -> {
                long slba = (sqe.cdw(10) & 0xFFFF_FFFFL) | (long) sqe.cdw(11) << 32;
                int nlb = (sqe.cdw(12) & 0xFFFF) + 1;
                long bytes = (long) nlb * store.blockSize();
                if (request.dataLength() != bytes) {
                    throw new NvmeStatusException(NvmeStatus.DATA_SGL_LENGTH_INVALID, NvmOpcode.name(opcode) + " of " + nlb
                            + " blocks needs " + bytes + " bytes, the SGL describes " + request.dataLength());
                }
                if (opcode == NvmOpcode.READ) {
                    java.nio.channels.FileChannel file = store.transferChannel();
                    if (file != null && slba >= 0 && slba + nlb <= store.capacityBlocks()
                            && request.queue().transport().sendsFromFiles(bytes)) {
                        // the transport sends it from the page cache (sendfile): no copy through user space
                        request.sendFrom(file, slba * store.blockSize());
                    } else {
                        store.read(slba, nlb, request.data());
                    }
                    counters.readCommands.increment();
                    counters.readBlocks.add(nlb);
                } else {
                    store.write(slba, nlb, request.data());
                    counters.writeCommands.increment();
                    counters.writeBlocks.add(nlb);
                }
            }
            case NvmOpcode.FLUSH -> {
                store.flush();
                counters.flushCommands.increment();
            }
            case NvmOpcode.WRITE_ZEROES -> {
                long slba = (sqe.cdw(10) & 0xFFFF_FFFFL) | (long) sqe.cdw(11) << 32;
                long nlb = (sqe.cdw(12) & 0xFFFF) + 1L;
                store.writeZeroes(slba, nlb, (sqe.cdw(12) & WRITE_ZEROES_DEALLOCATE) != 0);
            }
            case NvmOpcode.DATASET_MANAGEMENT -> {
                int ranges = (sqe.cdw(10) & 0xFF) + 1;
                // At least NR ranges, not exactly: Linux always sends a buffer of all 256 ranges (some
                // devices read that much whatever NR says), and nvmet accepts a longer transfer too.
                if (request.dataLength() < ranges * 16L) {
                    throw new NvmeStatusException(NvmeStatus.DATA_SGL_LENGTH_INVALID, "Dataset Management of " + ranges
                            + " ranges needs " + ranges * 16 + " bytes, the SGL describes only " + request.dataLength());
                }
                if ((sqe.cdw(11) & DSM_ATTRIBUTE_DEALLOCATE) != 0) {
                    MemorySegment data = request.data();
                    // every range is checked before any is deallocated: a failing command changes nothing
                    for (int i = 0; i < ranges; i++) {
                        long nlb = data.get(U32, i * 16L + 4) & 0xFFFF_FFFFL;
                        long slba = data.get(U64, i * 16L + 8);
                        if (nlb > 0 && (slba < 0 || slba > store.capacityBlocks() - nlb)) {
                            throw new NvmeStatusException(NvmeStatus.LBA_OUT_OF_RANGE, "Dataset Management range " + i + " ("
                                    + Long.toUnsignedString(slba) + " + " + nlb + ") is past the namespace's "
                                    + store.capacityBlocks() + " blocks");
                        }
                    }
                    for (int i = 0; i < ranges; i++) {
                        long nlb = data.get(U32, i * 16L + 4) & 0xFFFF_FFFFL;
                        long slba = data.get(U64, i * 16L + 8);
                        if (nlb > 0) {
                            store.deallocate(slba, nlb);
                        }
                    }
                }
            }
            default -> throw new NvmeStatusException(NvmeStatus.INVALID_COMMAND_OPCODE,
                    "I/O opcode 0x" + Integer.toHexString(opcode) + " (" + NvmOpcode.name(opcode) + ") is not supported");
        }
    }
}
