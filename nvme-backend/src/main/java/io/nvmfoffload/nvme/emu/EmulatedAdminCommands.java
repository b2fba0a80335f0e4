package io.nvmfoffload.nvme.emu;

import io.nvmfoffload.nvme.spec.ActiveNamespaceList;
import io.nvmfoffload.nvme.spec.AdminOpcode;
import io.nvmfoffload.nvme.spec.ChangedNamespaceList;
import io.nvmfoffload.nvme.spec.CommandEffectsLog;
import io.nvmfoffload.nvme.spec.CompletionQueueEntry;
import io.nvmfoffload.nvme.spec.ControllerRegisters;
import io.nvmfoffload.nvme.spec.ErrorInformationEntry;
import io.nvmfoffload.nvme.spec.FeatureId;
import io.nvmfoffload.nvme.spec.FirmwareSlotLog;
import io.nvmfoffload.nvme.spec.IdentifyCns;
import io.nvmfoffload.nvme.spec.IdentifyController;
import io.nvmfoffload.nvme.spec.IdentifyNamespace;
import io.nvmfoffload.nvme.spec.LogPageId;
import io.nvmfoffload.nvme.spec.NvmOpcode;
import io.nvmfoffload.nvme.spec.NvmeStatus;
import io.nvmfoffload.nvme.spec.Ordered;
import io.nvmfoffload.nvme.spec.SmartLog;
import io.nvmfoffload.nvme.spec.SubmissionQueueEntry;
import io.nvmfoffload.nvme.store.NamespaceIdentifyData;

import java.lang.foreign.MemorySegment;

/** Admin command set of the emulated controller (NVMe Base 2.0 section 5). */
final class EmulatedAdminCommands {
    private final EmulatedController c;
    private final IdentifyNamespace identifyNamespace = new IdentifyNamespace();
    private final SmartLog smart = new SmartLog();
    private final FirmwareSlotLog firmwareSlots = new FirmwareSlotLog();
    private final CommandEffectsLog effects = new CommandEffectsLog();
    private final int[] activeNsids;

    EmulatedAdminCommands(EmulatedController c) {
        this.c = c;
        this.activeNsids = new int[c.namespaces.length];
        for (int i = 0; i < activeNsids.length; i++) {
            activeNsids[i] = i + 1;
        }
    }

    int execute(SubmissionQueueEntry sqe) {
        if (sqe.psdt() != SubmissionQueueEntry.PSDT_PRP) {
            // Admin commands over PCIe use PRPs only.
            return invalidField();
        }
        return switch (sqe.opcode()) {
            case AdminOpcode.IDENTIFY -> identify(sqe);
            case AdminOpcode.GET_LOG_PAGE -> getLogPage(sqe);
            case AdminOpcode.SET_FEATURES -> setFeatures(sqe);
            case AdminOpcode.GET_FEATURES -> getFeatures(sqe);
            case AdminOpcode.CREATE_IO_CQ -> createCompletionQueue(sqe);
            case AdminOpcode.CREATE_IO_SQ -> createSubmissionQueue(sqe);
            case AdminOpcode.DELETE_IO_SQ -> deleteSubmissionQueue(sqe);
            case AdminOpcode.DELETE_IO_CQ -> deleteCompletionQueue(sqe);
            case AdminOpcode.ASYNC_EVENT_REQUEST -> asyncEventRequest(sqe);
            case AdminOpcode.KEEP_ALIVE -> keepAlive();
            case AdminOpcode.ABORT -> abort();
            default -> NvmeStatus.INVALID_COMMAND_OPCODE.field(true);
        };
    }

    private static int invalidField() {
        return NvmeStatus.INVALID_FIELD_IN_COMMAND.field(true);
    }

    private static int invalidNamespace() {
        return NvmeStatus.INVALID_NAMESPACE_OR_FORMAT.field(true);
    }

    private boolean validNsid(int nsid) {
        return nsid >= 1 && nsid <= c.namespaces.length;
    }

    // --- Identify ---

    private int identify(SubmissionQueueEntry sqe) {
        MemorySegment out = c.scratch;
        int nsid = sqe.nsid();
        switch (sqe.cns()) {
            case IdentifyCns.NAMESPACE -> {
                if (!validNsid(nsid)) {
                    return invalidNamespace();
                }
                NamespaceIdentifyData.fill(identifyNamespace.wrap(out, 0), c.namespaces[nsid - 1]);
            }
            case IdentifyCns.CONTROLLER -> MemorySegment.copy(c.identifyController, 0, out, 0, IdentifyController.SIZE);
            case IdentifyCns.ACTIVE_NAMESPACE_LIST -> {
                if (nsid == 0xFFFFFFFE || nsid == 0xFFFFFFFF) {
                    return invalidNamespace();
                }
                ActiveNamespaceList.write(out, 0, nsid, activeNsids);
            }
            case IdentifyCns.NAMESPACE_ID_DESCRIPTORS -> {
                if (!validNsid(nsid)) {
                    return invalidNamespace();
                }
                NamespaceIdentifyData.fillDescriptors(out, 0, c.namespaces[nsid - 1]);
            }
            default -> {
                return invalidField();
            }
        }
        return toHost(sqe, out, 0, IdentifyController.SIZE);
    }

    private int toHost(SubmissionQueueEntry sqe, MemorySegment src, long offset, long bytes) {
        int st = c.transfer.resolve(sqe, bytes);
        if (st != 0) {
            return st;
        }
        c.transfer.toHost(src, offset);
        return 0;
    }

    // --- Get Log Page ---

    private int getLogPage(SubmissionQueueEntry sqe) {
        long bytes = sqe.logPageDwords() * 4;
        long offset = sqe.logPageOffset();
        if ((offset & 0x3) != 0 || bytes > c.config.maxTransferBytes()) {
            return invalidField();
        }
        MemorySegment out = c.scratch;
        int size;
        switch (sqe.logPageId()) {
            case LogPageId.ERROR_INFORMATION -> {
                size = c.errorLog.capacity() * ErrorInformationEntry.SIZE;
                c.errorLog.write(out, 0);
            }
            case LogPageId.SMART_HEALTH -> {
                int nsid = sqe.nsid();
                if (nsid != 0 && nsid != SubmissionQueueEntry.NSID_ALL) {
                    // LPA bit 0 is clear: SMART is kept per controller, not per namespace.
                    return invalidField();
                }
                size = SmartLog.SIZE;
                c.health.write(smart.wrap(out, 0), c.errorLog.errorCount());
            }
            case LogPageId.FIRMWARE_SLOT -> {
                size = FirmwareSlotLog.SIZE;
                firmwareSlots.wrap(out, 0).clear().afi(1, 0).revision(1, c.config.firmwareRevision);
            }
            case LogPageId.CHANGED_NAMESPACE_LIST -> {
                size = ChangedNamespaceList.SIZE;
                c.events.readChangedList(out);
            }
            case LogPageId.COMMANDS_SUPPORTED_AND_EFFECTS -> {
                size = CommandEffectsLog.SIZE;
                fillEffects(effects.wrap(out, 0).clear());
            }
            default -> {
                return NvmeStatus.INVALID_LOG_PAGE.field(true);
            }
        }
        if (offset >= size) {
            return invalidField();
        }
        if (offset + bytes > size) {
            // Past the end of the log the host gets zeros.
            out.asSlice(size, offset + bytes - size).fill((byte) 0);
        }
        return toHost(sqe, out, offset, bytes);
    }

    private static void fillEffects(CommandEffectsLog log) {
        int s = CommandEffectsLog.CSUPP;
        for (int op : new int[] {AdminOpcode.DELETE_IO_SQ, AdminOpcode.CREATE_IO_SQ, AdminOpcode.GET_LOG_PAGE,
                AdminOpcode.DELETE_IO_CQ, AdminOpcode.CREATE_IO_CQ, AdminOpcode.IDENTIFY, AdminOpcode.ABORT,
                AdminOpcode.SET_FEATURES, AdminOpcode.GET_FEATURES, AdminOpcode.ASYNC_EVENT_REQUEST,
                AdminOpcode.KEEP_ALIVE}) {
            log.admin(op, s);
        }
        log.io(NvmOpcode.FLUSH, s);
        log.io(NvmOpcode.READ, s);
        log.io(NvmOpcode.WRITE, s | CommandEffectsLog.LBCC);
        log.io(NvmOpcode.WRITE_ZEROES, s | CommandEffectsLog.LBCC);
        log.io(NvmOpcode.DATASET_MANAGEMENT, s | CommandEffectsLog.LBCC);
    }

    // --- Features ---

    private int setFeatures(SubmissionQueueEntry sqe) {
        if (sqe.featureSave()) {
            return NvmeStatus.FEATURE_IDENTIFIER_NOT_SAVEABLE.field(true);
        }
        int dw11 = sqe.cdw11();
        switch (sqe.featureId()) {
            case FeatureId.NUMBER_OF_QUEUES -> {
                if ((dw11 & 0xFFFF) == 0xFFFF || dw11 >>> 16 == 0xFFFF) {
                    return invalidField();
                }
                if (ioQueuesExist()) {
                    // Allocation is fixed once I/O queues exist (Base 2.0 section 5.27.1.5).
                    return NvmeStatus.COMMAND_SEQUENCE_ERROR.field(true);
                }
                c.allocatedSqs = Math.min(FeatureId.submissionQueues(dw11), c.config.maxIoQueues);
                c.allocatedCqs = Math.min(FeatureId.completionQueues(dw11), c.config.maxIoQueues);
                c.resultDw0 = FeatureId.numberOfQueues(c.allocatedSqs, c.allocatedCqs);
            }
            case FeatureId.VOLATILE_WRITE_CACHE -> {
                if (!c.hasVolatileWriteCache()) {
                    return invalidField();
                }
                c.writeCacheEnabled = FeatureId.writeCacheEnabled(dw11);
            }
            case FeatureId.KEEP_ALIVE_TIMER -> {
                c.keepAliveMillis = dw11;
                c.lastKeepAliveNanos = System.nanoTime();
            }
            case FeatureId.ASYNC_EVENT_CONFIGURATION -> c.asyncEventConfig = dw11;
            default -> {
                return invalidField();
            }
        }
        return 0;
    }

    private int getFeatures(SubmissionQueueEntry sqe) {
        int select = sqe.featureSelect();
        if (select > FeatureId.SELECT_SUPPORTED_CAPABILITIES) {
            return invalidField();
        }
        boolean current = select == FeatureId.SELECT_CURRENT;
        int value;
        switch (sqe.featureId()) {
            case FeatureId.NUMBER_OF_QUEUES -> value = current
                    ? FeatureId.numberOfQueues(c.allocatedSqs, c.allocatedCqs)
                    : FeatureId.numberOfQueues(c.config.maxIoQueues, c.config.maxIoQueues);
            case FeatureId.VOLATILE_WRITE_CACHE -> value = (current ? c.writeCacheEnabled : c.hasVolatileWriteCache()) ? 1 : 0;
            case FeatureId.KEEP_ALIVE_TIMER -> value = current ? c.keepAliveMillis : 0;
            case FeatureId.ASYNC_EVENT_CONFIGURATION -> value = current ? c.asyncEventConfig : FeatureId.AEC_NAMESPACE_ATTRIBUTE_NOTICES;
            default -> {
                return invalidField();
            }
        }
        // Supported capabilities: changeable (bit 2), neither saveable nor namespace specific.
        c.resultDw0 = select == FeatureId.SELECT_SUPPORTED_CAPABILITIES ? 1 << 2 : value;
        return 0;
    }

    private boolean ioQueuesExist() {
        for (int q = 1; q < c.sqs.length; q++) {
            if (c.sqs[q] != null || c.cqs[q] != null) {
                return true;
            }
        }
        return false;
    }

    // --- Queue management ---

    private int createCompletionQueue(SubmissionQueueEntry sqe) {
        int qid = sqe.queueId();
        int entries = sqe.queueEntries();
        if (qid == 0 || qid > c.allocatedCqs || qid >= c.cqs.length || c.cqs[qid] != null) {
            return NvmeStatus.INVALID_QUEUE_IDENTIFIER.field(true);
        }
        if (entries < 2 || entries > c.config.maxQueueEntries) {
            return NvmeStatus.INVALID_QUEUE_SIZE.field(true);
        }
        if (!sqe.physicallyContiguous()) {
            // CAP.CQR is set: queues must be physically contiguous.
            return invalidField();
        }
        if (sqe.cqInterruptsEnabled() && sqe.cdw11() >>> 16 != 0) {
            // One interrupt vector (0); completions are found by polling.
            return NvmeStatus.INVALID_INTERRUPT_VECTOR.field(true);
        }
        MemorySegment ring = queueMemory(sqe.prp1(), (long) entries * CompletionQueueEntry.SIZE);
        if (ring == null) {
            return queueMemoryStatus(sqe.prp1());
        }
        c.cqs[qid] = new EmulatedCompletionQueue(qid, ring, entries, EmulatedCompletionQueue.doorbell(qid, c.config.doorbellStride));
        // A new queue's head starts at 0; a doorbell left over from a deleted queue of the same id must not count.
        Ordered.setIntRelease(c.bar, EmulatedCompletionQueue.doorbell(qid, c.config.doorbellStride), 0);
        return 0;
    }

    private int createSubmissionQueue(SubmissionQueueEntry sqe) {
        int qid = sqe.queueId();
        int entries = sqe.queueEntries();
        int cqid = sqe.sqCompletionQueueId();
        if (qid == 0 || qid > c.allocatedSqs || qid >= c.sqs.length || c.sqs[qid] != null) {
            return NvmeStatus.INVALID_QUEUE_IDENTIFIER.field(true);
        }
        if (cqid == 0 || cqid >= c.cqs.length || c.cqs[cqid] == null) {
            return NvmeStatus.COMPLETION_QUEUE_INVALID.field(true);
        }
        if (entries < 2 || entries > c.config.maxQueueEntries) {
            return NvmeStatus.INVALID_QUEUE_SIZE.field(true);
        }
        if (!sqe.physicallyContiguous()) {
            return invalidField();
        }
        MemorySegment ring = queueMemory(sqe.prp1(), (long) entries * SubmissionQueueEntry.SIZE);
        if (ring == null) {
            return queueMemoryStatus(sqe.prp1());
        }
        EmulatedCompletionQueue cq = c.cqs[cqid];
        cq.submissionQueues++;
        // A new queue's tail starts at 0; a doorbell left over from a deleted queue of the same id must not count.
        Ordered.setIntRelease(c.bar, ControllerRegisters.sqTailDoorbell(qid, c.config.doorbellStride), 0);
        c.sqs[qid] = new SubmissionQueue(qid, ring, entries,
                ControllerRegisters.sqTailDoorbell(qid, c.config.doorbellStride), cq);
        return 0;
    }

    private MemorySegment queueMemory(long address, long bytes) {
        if ((address & (c.pageSize - 1)) != 0) {
            return null;
        }
        DmaRegion r = c.dma.find(address, bytes);
        return r == null ? null : r.segment().asSlice(address - r.base(), bytes);
    }

    private int queueMemoryStatus(long address) {
        return (address & (c.pageSize - 1)) != 0
                ? NvmeStatus.INVALID_PRP_OFFSET.field(true)
                : NvmeStatus.DATA_TRANSFER_ERROR.field(false);
    }

    private int deleteSubmissionQueue(SubmissionQueueEntry sqe) {
        int qid = sqe.queueId();
        if (qid == 0 || qid >= c.sqs.length || c.sqs[qid] == null) {
            return NvmeStatus.INVALID_QUEUE_IDENTIFIER.field(true);
        }
        // Commands execute to completion when fetched, so none are left to abort.
        c.sqs[qid].cq.submissionQueues--;
        c.sqs[qid] = null;
        return 0;
    }

    private int deleteCompletionQueue(SubmissionQueueEntry sqe) {
        int qid = sqe.queueId();
        if (qid == 0 || qid >= c.cqs.length || c.cqs[qid] == null) {
            return NvmeStatus.INVALID_QUEUE_IDENTIFIER.field(true);
        }
        if (c.cqs[qid].submissionQueues > 0) {
            return NvmeStatus.INVALID_QUEUE_DELETION.field(true);
        }
        c.cqs[qid] = null;
        return 0;
    }

    // --- Asynchronous events, keep alive, abort ---

    private int asyncEventRequest(SubmissionQueueEntry sqe) {
        if (!c.events.request(sqe.cid())) {
            return NvmeStatus.ASYNC_EVENT_REQUEST_LIMIT_EXCEEDED.field(true);
        }
        c.deferCompletion = true;
        return 0;
    }

    private int keepAlive() {
        c.lastKeepAliveNanos = System.nanoTime();
        return 0;
    }

    private int abort() {
        // Dword 0 bit 0 set: the command was not aborted (each command runs to completion when fetched).
        c.resultDw0 = 1;
        return 0;
    }
}
