package io.nvmfoffload.nvmf.core;

import io.nvmfoffload.nvme.spec.ActiveNamespaceList;
import io.nvmfoffload.nvme.spec.AdminOpcode;
import io.nvmfoffload.nvme.spec.ChangedNamespaceList;
import io.nvmfoffload.nvme.spec.CommandEffectsLog;
import io.nvmfoffload.nvme.spec.FeatureId;
import io.nvmfoffload.nvme.spec.FirmwareSlotLog;
import io.nvmfoffload.nvme.spec.IdentifyCns;
import io.nvmfoffload.nvme.spec.IdentifyController;
import io.nvmfoffload.nvme.spec.IdentifyNamespace;
import io.nvmfoffload.nvme.spec.LogPageId;
import io.nvmfoffload.nvme.spec.NamespaceIdDescriptorList;
import io.nvmfoffload.nvme.spec.NvmOpcode;
import io.nvmfoffload.nvme.spec.NvmeStatus;
import io.nvmfoffload.nvme.spec.NvmeStatusException;
import io.nvmfoffload.nvme.spec.SmartLog;
import io.nvmfoffload.nvme.spec.SubmissionQueueEntry;
import io.nvmfoffload.nvme.store.NamespaceIdentifyData;
import io.nvmfoffload.nvmf.NamespaceCounters;
import io.nvmfoffload.nvmf.TargetNamespace;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Admin commands of NVM and discovery controllers over fabrics (nvmet's admin-cmd.c and
 * discovery.c): Identify, Get Log Page, Set/Get Features, Keep Alive, Asynchronous Event Request,
 * Abort. Admin commands are rare, so building a page in a scratch segment is fine here.
 */
final class AdminCommands {
    static final int AEC_NAMESPACE_ATTRIBUTE = FeatureId.AEC_NAMESPACE_ATTRIBUTE_NOTICES;
    static final int AEC_DISCOVERY_LOG = FeatureId.AEC_DISCOVERY_LOG_CHANGE_NOTICES;
    static final String FIRMWARE_REVISION = "0.1.0";

    private final TargetCore core;

    AdminCommands(TargetCore core) {
        this.core = core;
    }

    void execute(Request request, Controller ctrl) {
        SubmissionQueueEntry sqe = request.sqe();
        NvmfQueue queue = request.queue();
        int opcode = sqe.opcode();
        if (ctrl.isDiscovery() && opcode != AdminOpcode.IDENTIFY && opcode != AdminOpcode.GET_LOG_PAGE
                && opcode != AdminOpcode.KEEP_ALIVE && opcode != AdminOpcode.ASYNC_EVENT_REQUEST
                && opcode != AdminOpcode.SET_FEATURES && opcode != AdminOpcode.GET_FEATURES) {
            throw new NvmeStatusException(NvmeStatus.INVALID_COMMAND_OPCODE,
                    AdminOpcode.name(opcode) + " is not a discovery controller command");
        }
        if (opcode != AdminOpcode.IDENTIFY && opcode != AdminOpcode.GET_LOG_PAGE) {
            // every other command here moves no data: a data pointer with a length is refused, as
            // nvmet_check_transfer_len does, so no buffer goes back to the host that this command did not fill
            requireLength(request, 0, AdminOpcode.name(opcode));
        }
        switch (opcode) {
            case AdminOpcode.IDENTIFY -> identify(request, ctrl);
            case AdminOpcode.GET_LOG_PAGE -> getLogPage(request, ctrl);
            case AdminOpcode.SET_FEATURES -> queue.finish(request, 0, setFeature(sqe, ctrl));
            case AdminOpcode.GET_FEATURES -> queue.finish(request, 0, getFeature(sqe, ctrl));
            case AdminOpcode.KEEP_ALIVE -> queue.finish(request, 0, 0);
            case AdminOpcode.ASYNC_EVENT_REQUEST -> {
                if (!ctrl.parkAer(request)) {
                    throw new NvmeStatusException(NvmeStatus.ASYNC_EVENT_REQUEST_LIMIT_EXCEEDED,
                            "more than " + (Controller.AERL + 1) + " outstanding AERs");
                }
            }
            // As nvmet: Abort is accepted and aborts nothing (dword 0 bit 0 set: not aborted).
            case AdminOpcode.ABORT -> queue.finish(request, 0, 1);
            default -> throw new NvmeStatusException(NvmeStatus.INVALID_COMMAND_OPCODE,
                    "admin opcode 0x" + Integer.toHexString(opcode) + " (" + AdminOpcode.name(opcode) + ") is not supported");
        }
    }

    // --- Identify ---

    private void identify(Request request, Controller ctrl) {
        SubmissionQueueEntry sqe = request.sqe();
        int cns = sqe.cdw(10) & 0xFF;
        requireLength(request, IdentifyController.SIZE, "Identify");
        MemorySegment out = request.data();
        out.fill((byte) 0);
        switch (cns) {
            case IdentifyCns.CONTROLLER -> fillController(new IdentifyController(out), ctrl, request.queue());
            case IdentifyCns.NAMESPACE -> {
                TargetNamespace ns = namespaceForIdentify(ctrl, sqe.nsid());
                if (ns != null) {  // an allocated but inactive NSID reads as zeros
                    NamespaceIdentifyData.fill(new IdentifyNamespace(out), ns.store());
                }
            }
            case IdentifyCns.ACTIVE_NAMESPACE_LIST -> {
                if (ctrl.isDiscovery()) {
                    throw new NvmeStatusException(NvmeStatus.INVALID_FIELD_IN_COMMAND, "a discovery controller has no namespaces");
                }
                ActiveNamespaceList.write(out, 0, sqe.nsid(), ctrl.subsystem().activeNsids());
            }
            case IdentifyCns.NAMESPACE_ID_DESCRIPTORS -> {
                TargetNamespace ns = namespaceForIdentify(ctrl, sqe.nsid());
                if (ns == null) {
                    throw new NvmeStatusException(NvmeStatus.INVALID_NAMESPACE_OR_FORMAT,
                            "namespace " + Integer.toUnsignedString(sqe.nsid()) + " is not active");
                }
                NamespaceIdentifyData.fillDescriptors(out, 0, ns.store());
            }
            default -> throw new NvmeStatusException(NvmeStatus.INVALID_FIELD_IN_COMMAND,
                    "Identify CNS 0x" + Integer.toHexString(cns) + " is not supported");
        }
        request.queue().finish(request, 0, 0);
    }

    private static TargetNamespace namespaceForIdentify(Controller ctrl, int nsid) {
        if (ctrl.isDiscovery()) {
            throw new NvmeStatusException(NvmeStatus.INVALID_FIELD_IN_COMMAND, "a discovery controller has no namespaces");
        }
        // FFFFFFFFh (all namespaces) names no single namespace: Invalid Namespace, as nvmet answers
        if (nsid == 0 || Integer.compareUnsigned(nsid, ctrl.subsystem().maxNamespaces()) > 0) {
            throw new NvmeStatusException(NvmeStatus.INVALID_NAMESPACE_OR_FORMAT,
                    "nsid " + Integer.toUnsignedString(nsid) + " is outside 1.." + ctrl.subsystem().maxNamespaces());
        }
        return ctrl.subsystem().namespace(nsid);
    }

    private void fillController(IdentifyController id, Controller ctrl, NvmfQueue queue) {
        id.ver(Controller.VERSION_1_3)
                .firmwareRevision(FIRMWARE_REVISION)
                .cntlid(ctrl.cntlid())
                .kas(10)  // keep-alive granularity, 100 ms units, as nvmet
                .maxcmd(ctrl.isDiscovery() ? Controller.ADMIN_QUEUE_ENTRIES : Controller.MAX_QUEUE_ENTRIES)
                .sgls(sgls(queue))
                .subnqn(ctrl.subsystemNqn())
                .ioccsz(core.ioccsz(queue.port(), ctrl.isDiscovery() ? null : ctrl.subsystem()))
                .iorcsz(1)
                .icdoff(0)
                .msdbd(1)
                .lpa(1 << 2);  // extended data for Get Log Page (offsets), which discovery uses
        if (ctrl.isDiscovery()) {
            id.cntrltype(2).oaes(AEC_DISCOVERY_LOG).serialNumber("discovery").modelNumber("nvmf-offload discovery");
            return;
        }
        id.serialNumber(ctrl.subsystem().serial())
                .modelNumber(ctrl.subsystem().model())
                .cntrltype(1)
                .rab(6)
                .cmic(1 << 1)          // the subsystem may have several controllers
                .mdts(mdts(ctrl, queue.port()))
                .oaes(AEC_NAMESPACE_ATTRIBUTE)
                .ctratt(1)             // 128-bit host identifier
                .acl(3)
                .aerl(Controller.AERL)
                .frmw(1 << 1 | 1)      // one slot, read-only
                .lpa(1 | 1 << 1 | 1 << 2)
                .sqes(0x66)
                .cqes(0x44)
                .nn(ctrl.subsystem().maxNamespaces())
                .oncs(1 << 2 | 1 << 3) // Dataset Management, Write Zeroes
                .vwc(1);
    }

    /**
     * MDTS for the port the admin queue came in on: its max_io_size, lowered to the offload's
     * max_io_sz where the subsystem is offloaded over RDMA: hosts size their I/O by it, so none of
     * theirs is too large for the engine (which would leave it to the software path). The one
     * place MDTS is computed: the offload SRQ's max_io_sz is the same subsystem setting, checked
     * against the device's max_io_sz before the SRQ is created.
     */
    static int mdts(Controller ctrl, io.nvmfoffload.nvmf.Port port) {
        long bytes = port.maxIoSize();
        io.nvmfoffload.nvmf.SubsystemOffload offload = ctrl.subsystem().offload();
        if (offload != null && port.transport() == io.nvmfoffload.nvmf.TransportType.RDMA) {
            bytes = Math.min(bytes, offload.maxIoSize());
        }
        return io.nvmfoffload.nvmf.Port.mdts(bytes);
    }

    private static int sgls(NvmfQueue queue) {
        int sgls = 1;  // SGLs supported, no alignment requirement
        if (queue.port().transport() == io.nvmfoffload.nvmf.TransportType.RDMA) {
            sgls |= 1 << 2;  // keyed SGL data blocks
        }
        if (queue.port().inCapsuleDataSize() > 0) {
            sgls |= 1 << 20;  // data block with offset: in-capsule data
        }
        return sgls;
    }

    // --- Get Log Page ---

    private void getLogPage(Request request, Controller ctrl) {
        SubmissionQueueEntry sqe = request.sqe();
        int cdw10 = sqe.cdw(10);
        int lid = cdw10 & 0xFF;
        boolean retain = (cdw10 & 1 << 15) != 0;
        long dwords = ((long) (sqe.cdw(11) & 0xFFFF) << 16 | (cdw10 >>> 16)) + 1;
        long offset = (sqe.cdw(12) & 0xFFFF_FFFFL) | (long) sqe.cdw(13) << 32;
        requireLength(request, dwords * 4, "Get Log Page");
        if ((offset & 3) != 0) {
            throw new NvmeStatusException(NvmeStatus.INVALID_FIELD_IN_COMMAND, "log page offset " + offset + " is not dword aligned");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment page = switch (lid) {
                case LogPageId.DISCOVERY -> {
                    if (!ctrl.isDiscovery()) {
                        throw new NvmeStatusException(NvmeStatus.INVALID_LOG_PAGE, "the discovery log is read from a discovery controller");
                    }
                    yield DiscoveryLogPage.build(arena, core.target(), ctrl.hostNqn(), ctrl.port());
                }
                case LogPageId.ERROR_INFORMATION -> arena.allocate(64);  // no error entries are kept
                case LogPageId.SMART_HEALTH -> smartLog(arena, ctrl, sqe.nsid());
                case LogPageId.FIRMWARE_SLOT -> {
                    MemorySegment fw = arena.allocate(FirmwareSlotLog.SIZE);
                    fw.set(java.lang.foreign.ValueLayout.JAVA_BYTE, FirmwareSlotLog.AFI, (byte) 1);
                    MemorySegment.copy(FIRMWARE_REVISION.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0,
                            fw, java.lang.foreign.ValueLayout.JAVA_BYTE, FirmwareSlotLog.FRS1, FIRMWARE_REVISION.length());
                    yield fw;
                }
                case LogPageId.CHANGED_NAMESPACE_LIST -> {
                    MemorySegment list = arena.allocate(ChangedNamespaceList.SIZE);
                    int[] changed = ctrl.changedNamespaces(retain);
                    ChangedNamespaceList.write(list, 0, changed, changed.length);
                    yield list;
                }
                case LogPageId.COMMANDS_SUPPORTED_AND_EFFECTS -> commandEffects(arena);
                default -> throw new NvmeStatusException(NvmeStatus.INVALID_LOG_PAGE,
                        "log page 0x" + Integer.toHexString(lid) + " is not supported");
            };
            // LPOL/LPOU is a 64-bit unsigned offset: past the page's end is Invalid Field (offsets of
            // 2^63 and more included); a read that starts inside and runs past the end is zero-filled
            if (Long.compareUnsigned(offset, page.byteSize()) >= 0) {
                throw new NvmeStatusException(NvmeStatus.INVALID_FIELD_IN_COMMAND, "log page 0x" + Integer.toHexString(lid)
                        + " offset " + Long.toUnsignedString(offset) + " is not below its size " + page.byteSize());
            }
            MemorySegment out = request.data();
            out.fill((byte) 0);
            long n = Math.min(out.byteSize(), page.byteSize() - offset);
            MemorySegment.copy(page, offset, out, 0, n);
        }
        request.queue().finish(request, 0, 0);
    }

    private static MemorySegment smartLog(Arena arena, Controller ctrl, int nsid) {
        MemorySegment seg = arena.allocate(SmartLog.SIZE);
        if (ctrl.isDiscovery()) {
            return seg;
        }
        long reads = 0, writes = 0, readBlocks = 0, writeBlocks = 0, errors = 0;
        for (TargetNamespace ns : ctrl.subsystem().namespaces()) {
            if (nsid != 0 && nsid != 0xFFFFFFFF && ns.nsid() != nsid) {
                continue;
            }
            NamespaceCounters c = ns.counters();
            int bs = ns.store().blockSize();
            reads += c.readCommands.sum();
            writes += c.writeCommands.sum();
            readBlocks += c.readBlocks.sum() * bs / 512;
            writeBlocks += c.writeBlocks.sum() * bs / 512;
            errors += c.errorCommands.sum();
        }
        new SmartLog(seg).compositeTemperature(273 + 40).availableSpare(100).availableSpareThreshold(10)
                .dataUnitsRead((readBlocks + 999) / 1000).dataUnitsWritten((writeBlocks + 999) / 1000)
                .hostReadCommands(reads).hostWriteCommands(writes);
        return seg;
    }

    private static MemorySegment commandEffects(Arena arena) {
        MemorySegment seg = arena.allocate(CommandEffectsLog.SIZE);
        int[] admin = {AdminOpcode.GET_LOG_PAGE, AdminOpcode.IDENTIFY, AdminOpcode.ABORT, AdminOpcode.SET_FEATURES,
                AdminOpcode.GET_FEATURES, AdminOpcode.ASYNC_EVENT_REQUEST, AdminOpcode.KEEP_ALIVE};
        for (int op : admin) {
            seg.set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, op * 4L, CommandEffectsLog.CSUPP);
        }
        int[] io = {NvmOpcode.FLUSH, NvmOpcode.WRITE, NvmOpcode.READ, NvmOpcode.WRITE_ZEROES, NvmOpcode.DATASET_MANAGEMENT};
        for (int op : io) {
            int effects = CommandEffectsLog.CSUPP | (op == NvmOpcode.READ ? 0 : CommandEffectsLog.LBCC);
            seg.set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, CommandEffectsLog.IO_BASE + op * 4L, effects);
        }
        return seg;
    }

    // --- features ---

    private static int setFeature(SubmissionQueueEntry sqe, Controller ctrl) {
        int fid = sqe.cdw(10) & 0xFF;
        int value = sqe.cdw(11);
        switch (fid) {
            case FeatureId.NUMBER_OF_QUEUES -> {
                if ((value & 0xFFFF) == 0xFFFF || (value >>> 16) == 0xFFFF) {
                    throw new NvmeStatusException(NvmeStatus.INVALID_FIELD_IN_COMMAND, "Number of Queues of 65536 requested");
                }
                int n = ctrl.grantedIoQueues() - 1;
                return n | n << 16;
            }
            case FeatureId.KEEP_ALIVE_TIMER -> {
                ctrl.katoMillis(value);
                return 0;
            }
            case FeatureId.ASYNC_EVENT_CONFIGURATION -> {
                int supported = ctrl.isDiscovery() ? AEC_DISCOVERY_LOG : AEC_NAMESPACE_ATTRIBUTE;
                if ((value & ~supported) != 0) {
                    throw new NvmeStatusException(NvmeStatus.INVALID_FIELD_IN_COMMAND, "asynchronous event configuration 0x"
                            + Integer.toHexString(value) + " enables events this controller does not send (supported: 0x"
                            + Integer.toHexString(supported) + ")");
                }
                ctrl.asyncEventConfig(value);
                return 0;
            }
            case FeatureId.VOLATILE_WRITE_CACHE -> {
                ctrl.volatileWriteCache((value & 1) != 0);
                return 0;
            }
            default -> throw new NvmeStatusException(NvmeStatus.FEATURE_NOT_CHANGEABLE,
                    "feature 0x" + Integer.toHexString(fid) + " cannot be set");
        }
    }

    private static int getFeature(SubmissionQueueEntry sqe, Controller ctrl) {
        int fid = sqe.cdw(10) & 0xFF;
        return switch (fid) {
            case FeatureId.NUMBER_OF_QUEUES -> {
                int n = ctrl.grantedIoQueues() - 1;
                yield n | n << 16;
            }
            case FeatureId.KEEP_ALIVE_TIMER -> ctrl.katoMillis();
            case FeatureId.ASYNC_EVENT_CONFIGURATION -> ctrl.asyncEventConfig();
            case FeatureId.VOLATILE_WRITE_CACHE -> ctrl.volatileWriteCache() ? 1 : 0;
            default -> throw new NvmeStatusException(NvmeStatus.INVALID_FIELD_IN_COMMAND,
                    "feature 0x" + Integer.toHexString(fid) + " is not supported");
        };
    }

    static void requireLength(Request request, long expected, String what) {
        if (request.dataLength() != expected) {
            throw new NvmeStatusException(NvmeStatus.DATA_SGL_LENGTH_INVALID,
                    what + " describes " + request.dataLength() + " bytes of data, the command needs " + expected);
        }
    }
}
