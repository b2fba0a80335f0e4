package io.nvmfoffload.nvme.emu;

import io.nvmfoffload.nvme.spec.Le;
import io.nvmfoffload.nvme.spec.NvmOpcode;
import io.nvmfoffload.nvme.spec.NvmeStatus;
import io.nvmfoffload.nvme.spec.NvmeStatusException;
import io.nvmfoffload.nvme.spec.SubmissionQueueEntry;
import io.nvmfoffload.nvme.store.NamespaceStore;

import java.lang.foreign.MemorySegment;

/**
 * NVM command set I/O commands against the namespace stores. Checks that a real drive makes come
 * first and are answered with a status, not an exception; the stores only throw for failures of
 * the medium (an I/O error of the file).
 */
final class EmulatedIoCommands {
    private static final int DSM_RANGE_SIZE = 16;

    private final EmulatedController c;

    EmulatedIoCommands(EmulatedController c) {
        this.c = c;
    }

    int execute(SubmissionQueueEntry sqe) {
        int opcode = sqe.opcode();
        if (sqe.psdt() != SubmissionQueueEntry.PSDT_PRP || sqe.fuse() != 0) {
            // SGLS is 0 and FUSES is 0 in Identify Controller.
            return NvmeStatus.INVALID_FIELD_IN_COMMAND.field(true);
        }
        try {
            return switch (opcode) {
                case NvmOpcode.READ -> readWrite(sqe, false);
                case NvmOpcode.WRITE -> readWrite(sqe, true);
                case NvmOpcode.FLUSH -> flush(sqe);
                case NvmOpcode.WRITE_ZEROES -> writeZeroes(sqe);
                case NvmOpcode.DATASET_MANAGEMENT -> datasetManagement(sqe);
                default -> NvmeStatus.INVALID_COMMAND_OPCODE.field(true);
            };
        } catch (NvmeStatusException e) {
            return e.statusField();
        }
    }

    private NamespaceStore namespace(int nsid) {
        return nsid >= 1 && nsid <= c.namespaces.length ? c.namespaces[nsid - 1] : null;
    }

    private static boolean outOfRange(long slba, long nlb, long capacity) {
        return slba < 0 || nlb > capacity || slba > capacity - nlb;
    }

    private int readWrite(SubmissionQueueEntry sqe, boolean write) {
        NamespaceStore ns = namespace(sqe.nsid());
        if (ns == null) {
            return NvmeStatus.INVALID_NAMESPACE_OR_FORMAT.field(true);
        }
        long slba = sqe.slba();
        int nlb = sqe.blockCount();
        if (outOfRange(slba, nlb, ns.capacityBlocks())) {
            return NvmeStatus.LBA_OUT_OF_RANGE.field(true);
        }
        int bs = ns.blockSize();
        long bytes = (long) nlb * bs;
        if (bytes > c.config.maxTransferBytes()) {
            return NvmeStatus.INVALID_FIELD_IN_COMMAND.field(true);
        }
        DataTransfer t = c.transfer;
        int st = t.resolve(sqe, bytes);
        if (st != 0) {
            return st;
        }
        int chunks = t.count();
        if (chunks == 1) {
            if (write) {
                ns.write(slba, nlb, t.segment(0), t.offset(0));
            } else {
                ns.read(slba, nlb, t.segment(0), t.offset(0));
            }
        } else if (blockAligned(t, chunks, bs)) {
            long lba = slba;
            for (int i = 0; i < chunks; i++) {
                int blocks = t.length(i) / bs;
                if (write) {
                    ns.write(lba, blocks, t.segment(i), t.offset(i));
                } else {
                    ns.read(lba, blocks, t.segment(i), t.offset(i));
                }
                lba += blocks;
            }
        } else if (write) {
            // Pages split logical blocks: gather into the bounce buffer first.
            t.fromHost(c.bounce, 0);
            ns.write(slba, nlb, c.bounce);
        } else {
            ns.read(slba, nlb, c.bounce);
            t.toHost(c.bounce, 0);
        }
        if (write) {
            c.health.hostWriteCommands++;
            c.health.bytesWritten += bytes;
            if (sqe.fua() && c.writeCacheEnabled) {
                ns.flush();
            }
        } else {
            c.health.hostReadCommands++;
            c.health.bytesRead += bytes;
        }
        return 0;
    }

    private static boolean blockAligned(DataTransfer t, int chunks, int bs) {
        for (int i = 0; i < chunks; i++) {
            if (t.length(i) % bs != 0) {
                return false;
            }
        }
        return true;
    }

    private int flush(SubmissionQueueEntry sqe) {
        int nsid = sqe.nsid();
        if (nsid == SubmissionQueueEntry.NSID_ALL) {
            for (NamespaceStore ns : c.namespaces) {
                ns.flush();
            }
            return 0;
        }
        NamespaceStore ns = namespace(nsid);
        if (ns == null) {
            return NvmeStatus.INVALID_NAMESPACE_OR_FORMAT.field(true);
        }
        ns.flush();
        return 0;
    }

    private int writeZeroes(SubmissionQueueEntry sqe) {
        NamespaceStore ns = namespace(sqe.nsid());
        if (ns == null) {
            return NvmeStatus.INVALID_NAMESPACE_OR_FORMAT.field(true);
        }
        long slba = sqe.slba();
        int nlb = sqe.blockCount();
        if (outOfRange(slba, nlb, ns.capacityBlocks())) {
            return NvmeStatus.LBA_OUT_OF_RANGE.field(true);
        }
        ns.writeZeroes(slba, nlb, sqe.deallocate());
        return 0;
    }

    private int datasetManagement(SubmissionQueueEntry sqe) {
        NamespaceStore ns = namespace(sqe.nsid());
        if (ns == null) {
            return NvmeStatus.INVALID_NAMESPACE_OR_FORMAT.field(true);
        }
        int ranges = sqe.dsmRangeCount();
        long bytes = (long) ranges * DSM_RANGE_SIZE;
        DataTransfer t = c.transfer;
        int st = t.resolve(sqe, bytes);
        if (st != 0) {
            return st;
        }
        MemorySegment list = c.scratch;
        t.fromHost(list, 0);
        if (!sqe.dsmDeallocate()) {
            // Integral read/write hints are advisory; without Deallocate there is nothing to do.
            return 0;
        }
        long capacity = ns.capacityBlocks();
        for (int i = 0; i < ranges; i++) {
            long nlb = Le.u32(list, (long) i * DSM_RANGE_SIZE + 4) & 0xFFFFFFFFL;
            long slba = Le.u64(list, (long) i * DSM_RANGE_SIZE + 8);
            if (nlb != 0 && outOfRange(slba, nlb, capacity)) {
                return NvmeStatus.LBA_OUT_OF_RANGE.field(true);
            }
        }
        for (int i = 0; i < ranges; i++) {
            long nlb = Le.u32(list, (long) i * DSM_RANGE_SIZE + 4) & 0xFFFFFFFFL;
            if (nlb != 0) {
                ns.deallocate(Le.u64(list, (long) i * DSM_RANGE_SIZE + 8), nlb);
            }
        }
        return 0;
    }
}
