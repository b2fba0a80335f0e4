package io.nvmfoffload.offload.emulated;

import io.nvmfoffload.nvme.spec.CompletionQueueEntry;
import io.nvmfoffload.nvme.spec.NvmeStatus;
import io.nvmfoffload.nvme.spec.SglDescriptor;
import io.nvmfoffload.nvme.spec.StatusField;
import io.nvmfoffload.nvme.spec.SubmissionQueueEntry;
import io.nvmfoffload.verbs.Access;
import io.nvmfoffload.verbs.Errno;
import io.nvmfoffload.verbs.MemoryRegion;
import io.nvmfoffload.verbs.ProtectionDomain;
import io.nvmfoffload.target.transport.rdma.RdmaTransportOptions;
import io.nvmfoffload.target.transport.rdma.SendRouter;
import io.nvmfoffload.verbs.SendWorkRequests;
import io.nvmfoffload.verbs.WrOpcode;
import io.nvmfoffload.verbs.nvmf.BackendController;
import io.nvmfoffload.verbs.nvmf.BackendControllerAttributes;
import io.nvmfoffload.verbs.nvmf.NamespaceMapping;
import io.nvmfoffload.verbs.nvmf.NvmfDatapath;
import io.nvmfoffload.verbs.nvmf.NvmfEventType;
import io.nvmfoffload.verbs.nvmf.NvmfOffloadException;
import io.nvmfoffload.verbs.nvmf.NvmfSrq;
import io.nvmfoffload.verbs.nvmf.NvmfSrqAttributes;
import io.nvmfoffload.verbs.nvmf.OffloadContextCounters;
import io.nvmfoffload.verbs.nvmf.OffloadNamespaceCounters;
import io.nvmfoffload.verbs.nvmf.OffloadOp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * One emulated offload context: the staging buffer cut into slots of max_io_sz (plus a page for
 * the PRP list), the namespace routes, the backend controllers, and the engine's work on each
 * capsule: RDMA READ of write data into the slot (or a copy of in-capsule data), an SQE with PRPs
 * into the slot on the backend's SQ, the doorbell, the CQE by phase, RDMA WRITE of read data, the
 * response SEND. Everything here runs under this object's lock, taken by the engine's entry points.
 */
final class EmulatedNvmfSrq implements NvmfSrq {
    private static final System.Logger LOG = System.getLogger(EmulatedNvmfSrq.class.getName());
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final int READ_WR = 1;
    static final int SEND_WR = 2;
    /**
     * The unsignaled RDMA WRITE of read data. It completes only when it fails or is flushed, and
     * then carries the engine's tag so that the transport hands it here rather than calling it
     * unknown; the SEND behind it, flushed too, ends the command.
     */
    static final int WRITE_WR = 3;
    private static final int OPC_FLUSH = 0x00;
    private static final int OPC_WRITE = 0x01;
    private static final int OPC_READ = 0x02;
    private static final int PAGE = 4096;
    /** Retryable (DNR clear): the host requeues the command, and the retry finds the software path. */
    private static final int RETRY_STATUS = NvmeStatus.NAMESPACE_NOT_READY.field(false);
    /** Every this many progress calls the engine reads the clock and checks backends for faults. */
    private static final int HOUSEKEEPING_MASK = 0xFF;
    /** One command in this many has its latency measured (a clock read costs microseconds in a TCG guest). */
    private static final int LATENCY_SAMPLE_MASK = 0x3F;

    final int id;
    private final EmulatedNvmfOffload offload;
    private final NvmfSrqAttributes attributes;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment staging;
    private final MemoryRegion stagingMr;
    private final OffloadCommand[] commands;
    private final int[] free;
    private int freeCount;
    private final MemorySegment responses;
    private final MemoryRegion responseMr;
    /** Two entries per command (index 2i, 2i+1): a command's chain can wait for the posting thread while others are built. */
    private final SendWorkRequests wrs;
    /**
     * Where each command's sends go ({@link SendRouter}, as the software path's SendPosting, with the
     * RDMA transport's default options): posts that move 32 KiB or more to a posting thread of the
     * engine's own (on rxe a post does the protocol work in the caller's system call, and a NIC's
     * engine runs beside the host CPU anyway); smaller ones made on the poller wait for the end of
     * its pass and go out in one call per queue pair ({@link #flushBatches}): a NIC rings no
     * doorbell per command either. The poller is the thread that calls {@link #progress}.
     */
    private final SendRouter<OffloadCommand> router;
    private final Runnable[] postJobs;
    private boolean pollerClaimed;
    private final BiConsumer<OffloadCommand, RuntimeException> onNotPosted = this::refused;
    private final PendingCapsules pending;
    private final SubmissionQueueEntry frontView = new SubmissionQueueEntry();
    private final CompletionQueueEntry responseView = new CompletionQueueEntry();
    private final SglDescriptor sgl = new SglDescriptor();
    private NamespaceRoute[] routes = new NamespaceRoute[0];
    private int routeCount;
    private final List<EmulatedBackendController> controllers = new ArrayList<>();
    /** The controllers as of the last change, for the poller's look without the lock ({@link #quietPass}). */
    private volatile EmulatedBackendController[] controllerSnapshot = new EmulatedBackendController[0];
    final List<QpAttachment> attachments = new ArrayList<>();
    private final int pageSize;
    private final boolean offloadRead;
    private final boolean offloadWrite;
    private final boolean offloadFlush;
    /**
     * The device can Send with Invalidate (memory management extensions). The transport binding
     * lets a controller answer a keyed SGL of the invalidate subtype that way, and nvmet-rdma and
     * our software path do: the host then skips the LOCAL_INV it would otherwise post and wait for
     * before completing each I/O, so an engine without it would make every offloaded command dearer
     * for the host than the software path's.
     */
    private final boolean remoteInvalidate;
    private long unknownNamespaceCommands;
    private long remoteInvalidations;
    private long lastReadLatency100ns;
    private long lastWriteLatency100ns;
    private int inFlight;
    private int progressCalls;
    private boolean housekeepingDue;
    private int sampleCounter;
    /** The clock as of the last housekeeping pass; commands at the backend are stamped with it. */
    private long coarseNow;
    private boolean closed;

    // What classify() found, read right after it by the caller (no allocation per capsule).
    private NamespaceRoute cRoute;
    private int cOpcode;
    private int cLength;
    private int cBlocks;
    private boolean cInCapsule;
    private boolean cInvalidate;
    private long cDataOffset;
    private long cRemoteAddress;
    private int cRemoteKey;

    EmulatedNvmfSrq(int id, EmulatedNvmfOffload offload, ProtectionDomain pd, NvmfSrqAttributes attributes) {
        this.id = id;
        this.offload = offload;
        this.attributes = attributes;
        this.stagingMr = attributes.stagingBuffer().memoryRegion();
        this.staging = MemorySegment.ofAddress(attributes.stagingBuffer().address()).reinterpret(attributes.stagingBuffer().length());
        this.pageSize = PAGE << attributes.nvmePageSizeLog2();
        long slotBytes = roundUp(attributes.maxIoSize(), pageSize) + pageSize;
        long firstSlot = roundUp(staging.address(), pageSize) - staging.address();
        long slots = (staging.byteSize() - firstSlot) / slotBytes;
        if (slots < 1) {
            throw new NvmfOffloadException("ibv_create_srq_ex", Errno.EINVAL, EmulatedNvmfOffloadProvider.NAME,
                    "staging buffer of " + staging.byteSize() + " bytes holds no slot of max_io_sz " + attributes.maxIoSize()
                            + " plus a PRP list page");
        }
        int count = (int) Math.min(slots, 65_535);  // a slot index is the backend CID
        commands = new OffloadCommand[count];
        free = new int[count];
        MemorySegment sqes = arena.allocate(64L * count, 64);
        long mrBase = attributes.stagingBuffer().address() - stagingMr.address();
        for (int i = 0; i < count; i++) {
            long off = firstSlot + i * slotBytes;
            long prpOff = off + slotBytes - pageSize;
            commands[i] = new OffloadCommand(i, staging.address() + off, mrBase + off, staging.asSlice(prpOff, pageSize),
                    sqes.asSlice(64L * i, 64));
            free[freeCount++] = count - 1 - i;
        }
        wrs = new SendWorkRequests(2 * count, 1);
        postJobs = new Runnable[count];
        for (int i = 0; i < count; i++) {
            OffloadCommand cmd = commands[i];
            postJobs[i] = () -> postHandedOff(cmd);
        }
        router = new SendRouter<>("nvmf-offload-post-" + id, count, RdmaTransportOptions.DEFAULTS);
        responses = arena.allocate(16L * count, 64);
        responseMr = pd.registerMemory(responses, Access.LOCAL_WRITE);
        int capsuleSize = Math.max(64, attributes.ioccsz() * 16);
        pending = new PendingCapsules(arena, Math.max(16, attributes.srqMaxWr()), capsuleSize);
        offloadRead = attributes.ops().contains(OffloadOp.READ);
        offloadWrite = attributes.ops().contains(OffloadOp.WRITE);
        offloadFlush = attributes.ops().contains(OffloadOp.FLUSH);
        remoteInvalidate = pd.context().queryDevice().canSendWithInvalidate();
    }

    private static long roundUp(long v, long to) {
        return (v + to - 1) / to * to;
    }

    @Override
    public NvmfSrqAttributes attributes() {
        return attributes;
    }

    int slotCount() {
        return commands.length;
    }

    // --- control path ---

    @Override
    public BackendController createBackendController(BackendControllerAttributes a) {
        synchronized (this) {
            requireOpen("ibv_srq_create_nvme_ctrl");
            var caps = offload.capabilities();
            if (controllers.size() >= caps.maxSrqBackendCtrls()) {
                throw error("ibv_srq_create_nvme_ctrl", Errno.ENOSPC, "this SRQ already has " + controllers.size()
                        + " backend controllers, the max_srq_backend_ctrls of the device");
            }
            long entries = Math.min(a.sqBuffer().length() / SubmissionQueueEntry.SIZE, a.cqBuffer().length() / CompletionQueueEntry.SIZE);
            if (entries < attributes.queueDepth()) {
                throw error("ibv_srq_create_nvme_ctrl", Errno.EINVAL, "backend queues of " + entries
                        + " entries are shallower than the offload queue depth " + attributes.queueDepth());
            }
            if (a.sqTailInitial() < 0 || a.sqTailInitial() >= entries || a.cqHeadInitial() < 0 || a.cqHeadInitial() >= entries) {
                throw error("ibv_srq_create_nvme_ctrl", Errno.EINVAL, "initial doorbell values SQ tail " + a.sqTailInitial()
                        + " / CQ head " + a.cqHeadInitial() + " are outside the " + entries + "-entry queues");
            }
            long timeoutUs = caps.clampCommandTimeoutUs(a.commandTimeoutUs());
            int ctrlId = offload.reserveBackendController();
            EmulatedBackendController c = new EmulatedBackendController(ctrlId, this, a, timeoutUs * 1000, commands.length);
            controllers.add(c);
            controllerSnapshot = controllers.toArray(EmulatedBackendController[]::new);
            return c;
        }
    }

    @Override
    public synchronized List<BackendController> backendControllers() {
        return List.copyOf(controllers);
    }

    synchronized void map(EmulatedBackendController c, NamespaceMapping m) {
        requireOpen("ibv_map_nvmf_nsid");
        if (c.state == EmulatedBackendController.State.CLOSED) {
            throw c.error("ibv_map_nvmf_nsid", Errno.EINVAL, "is closed");
        }
        int nsid = m.frontendNsid();
        int maxNsid = offload.capabilities().maxFrontendNsid();
        if (maxNsid != 0 && Integer.compareUnsigned(nsid, maxNsid) > 0) {
            throw c.error("ibv_map_nvmf_nsid", Errno.EINVAL, "fe_nsid " + nsid + " exceeds max_frontend_nsid " + maxNsid);
        }
        if (m.lbaDataSize() != 512 && m.lbaDataSize() != 4096) {
            throw c.error("ibv_map_nvmf_nsid", Errno.ENOTSUP, "lba_data_size " + m.lbaDataSize()
                    + " is not supported (the device supports 512 and 4096)");
        }
        if (route(nsid) != null) {
            throw c.error("ibv_map_nvmf_nsid", Errno.EEXIST, "fe_nsid " + nsid + " is already mapped in SRQ " + id + " (to "
                    + route(nsid).controller + ")");
        }
        if (routeCount >= attributes.maxNamespaces()) {
            throw c.error("ibv_map_nvmf_nsid", Errno.ENOSPC, "SRQ " + id + " already maps " + routeCount
                    + " namespaces, its max namespaces");
        }
        if (nsid >= routes.length) {
            routes = Arrays.copyOf(routes, Math.max(nsid + 1, routes.length * 2));
        }
        routes[nsid] = new NamespaceRoute(m, c);
        routeCount++;
        c.mappings.add(m);
    }

    synchronized void unmap(EmulatedBackendController c, int nsid) {
        NamespaceRoute r = route(nsid);
        if (r == null || r.controller != c) {
            throw c.error("ibv_unmap_nvmf_nsid", Errno.ENOENT, "fe_nsid " + nsid + " is not mapped to this controller");
        }
        routes[nsid] = null;
        routeCount--;
        c.mappings.remove(r.mapping);
    }

    private NamespaceRoute route(int nsid) {
        return nsid > 0 && nsid < routes.length ? routes[nsid] : null;
    }

    synchronized OffloadNamespaceCounters counters(EmulatedBackendController c, int nsid) {
        NamespaceRoute r = route(nsid);
        if (r == null || r.controller != c) {
            throw c.error("query namespace counters", Errno.ENOENT, "fe_nsid " + nsid + " is not mapped to this controller");
        }
        return r.snapshot();
    }

    @Override
    public synchronized OffloadContextCounters counters() {
        OffloadNamespaceCounters sum = OffloadNamespaceCounters.ZERO;
        for (NamespaceRoute r : routes) {
            if (r != null) {
                sum = sum.plus(r.snapshot());
            }
        }
        return new OffloadContextCounters(sum, unknownNamespaceCommands, lastReadLatency100ns, lastWriteLatency100ns, inFlight,
                remoteInvalidations);
    }

    /**
     * Releases a backend controller (ibv_srq_remove_nvme_ctrl): unmaps its namespaces, answers what it
     * still had with a retryable status, and frees the slots it quarantined.
     */
    synchronized void removeController(EmulatedBackendController c) {
        if (c.state == EmulatedBackendController.State.CLOSED) {
            return;
        }
        if (c.state == EmulatedBackendController.State.ACTIVE) {
            failCommandsOf(c, false);
        }
        for (NamespaceMapping m : List.copyOf(c.mappings)) {
            unmap(c, m.frontendNsid());
        }
        c.state = EmulatedBackendController.State.CLOSED;
        for (OffloadCommand cmd : commands) {
            if (cmd.backend == c && cmd.state == OffloadCommandState.QUARANTINED) {
                release(cmd);
            }
        }
        controllers.remove(c);
        controllerSnapshot = controllers.toArray(EmulatedBackendController[]::new);
        offload.releaseBackendController();
    }

    private void requireOpen(String verb) {
        if (closed) {
            throw error(verb, Errno.EINVAL, "SRQ " + id + " is closed");
        }
    }

    private NvmfOffloadException error(String verb, Errno errno, String detail) {
        return new NvmfOffloadException(verb, errno, EmulatedNvmfOffloadProvider.NAME, detail);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (!controllers.isEmpty()) {
                throw error("ibv_destroy_srq", Errno.EBUSY, "SRQ " + id + " still has " + controllers.size()
                        + " backend controller(s); close them first");
            }
            if (!attachments.isEmpty()) {
                throw error("ibv_destroy_srq", Errno.EBUSY, "SRQ " + id + " still has " + attachments.size()
                        + " attached QP(s); drain them first");
            }
            closed = true;
        }
        offload.srqClosed(this);
        router.close();
        wrs.close();
        responseMr.close();
        arena.close();
    }

    // --- data path (the engine calls these with this object's lock held) ---

    SubmissionQueueEntry frontView(OffloadCommand cmd) {
        return frontView.wrap(cmd.sqe, 0);
    }

    /** A capsule from an attached QP: true if the engine took it. */
    boolean offer(QpAttachment att, MemorySegment buffer, long base, int length) {
        att.capsules++;
        if (closed || !classify(buffer, base, length)) {
            return false;
        }
        if (pending.count() > 0 || freeCount == 0) {
            return pending.add(att, buffer, base, length);
        }
        start(take(), att, buffer, base);
        return true;
    }

    /**
     * Decides whether the engine executes a capsule: a read, write or flush within the ops mask, to
     * a namespace mapped on an active backend, not fused, within max_io_sz, with the SGL the
     * NVMe/RDMA transport uses and a length that matches the blocks. Anything else goes to software.
     */
    private boolean classify(MemorySegment capsule, long base, int length) {
        if (length < SubmissionQueueEntry.SIZE) {
            return false;
        }
        int opcode = capsule.get(ValueLayout.JAVA_BYTE, base) & 0xFF;
        boolean wanted = switch (opcode) {
            case OPC_READ -> offloadRead;
            case OPC_WRITE -> offloadWrite;
            case OPC_FLUSH -> offloadFlush;
            default -> false;
        };
        if (!wanted || (capsule.get(ValueLayout.JAVA_BYTE, base + 1) & 0x3) != 0) {
            return false;
        }
        NamespaceRoute r = route(capsule.get(U32, base + SubmissionQueueEntry.NSID));
        if (r == null) {
            unknownNamespaceCommands++;
            return false;
        }
        if (r.controller.state != EmulatedBackendController.State.ACTIVE) {
            return false;
        }
        cRoute = r;
        cOpcode = opcode;
        cInCapsule = false;
        cInvalidate = false;
        if (opcode == OPC_FLUSH) {
            cLength = 0;
            cBlocks = 0;
            return true;
        }
        cBlocks = (capsule.get(U32, base + SubmissionQueueEntry.CDW10 + 8) & 0xFFFF) + 1;
        long bytes = (long) cBlocks * r.mapping.lbaDataSize();
        if (bytes > attributes.maxIoSize()) {
            return false;
        }
        cLength = (int) bytes;
        sgl.wrap(capsule, base + SubmissionQueueEntry.DPTR);
        if (sgl.isKeyed()) {
            // a keyed subtype the binding does not define goes to the software path, which refuses it
            if (sgl.length() != bytes || !sgl.isKeyedSubtypeDefined()) {
                return false;
            }
            cRemoteAddress = sgl.address();
            cRemoteKey = sgl.key();
            cInvalidate = sgl.subtype() == SglDescriptor.SUBTYPE_INVALIDATE_KEY;
            return true;
        }
        if (opcode == OPC_WRITE && sgl.type() == SglDescriptor.TYPE_DATA_BLOCK && sgl.subtype() == SglDescriptor.SUBTYPE_OFFSET) {
            long offset = sgl.address();
            // the same check as the software path's CapsuleSgl: no offset near 2^63 can wrap past it
            if (sgl.length() != bytes || !SglDescriptor.fitsInCapsule(offset, bytes, length - SubmissionQueueEntry.SIZE)) {
                return false;
            }
            cInCapsule = true;
            cDataOffset = SubmissionQueueEntry.SIZE + offset;
            return true;
        }
        return false;
    }

    private OffloadCommand take() {
        return commands[free[--freeCount]];
    }

    private void start(OffloadCommand cmd, QpAttachment att, MemorySegment capsule, long base) {
        MemorySegment.copy(capsule, base, cmd.sqe, 0, SubmissionQueueEntry.SIZE);
        cmd.queue = att;
        cmd.backend = cRoute.controller;
        cmd.frontendNsid = cRoute.mapping.frontendNsid();
        cmd.opcode = cOpcode;
        cmd.length = cLength;
        cmd.blocks = cBlocks;
        cmd.inCapsule = cInCapsule;
        cmd.remoteAddress = cRemoteAddress;
        cmd.remoteKey = cRemoteKey;
        cmd.invalidateKey = cInvalidate && remoteInvalidate;
        cmd.sampleStart = (++sampleCounter & LATENCY_SAMPLE_MASK) == 0 ? System.nanoTime() : 0;
        att.outstanding++;
        inFlight++;
        if (cmd.opcode == OPC_WRITE && cmd.length > 0) {
            if (cmd.inCapsule) {
                MemorySegment.copy(capsule, base + cDataOffset, staging, cmd.dataAddress - staging.address(), cmd.length);
            } else {
                cmd.transition(OffloadCommandState.READING_HOST_DATA);
                wrs.get(2 * cmd.index).reset().wrId(wrId(READ_WR, cmd.index)).opcode(WrOpcode.RDMA_READ).signaled(true)
                        .remote(cmd.remoteAddress, cmd.remoteKey)
                        .addSge(stagingMr, cmd.dataMrOffset, cmd.length);
                if (!post(cmd, 1, cmd.length)) {
                    return;
                }
                return;
            }
        }
        submitToBackend(cmd);
    }

    private long wrId(int kind, int index) {
        return (long) NvmfDatapath.WR_ID_TAG << 56 | (long) id << 32 | (long) kind << 24 | index;
    }

    static int srqIdOf(long wrId) {
        return (int) (wrId >>> 32) & 0xFF_FFFF;
    }

    private void submitToBackend(OffloadCommand cmd) {
        EmulatedBackendController c = cmd.backend;
        if (c.state != EmulatedBackendController.State.ACTIVE) {
            respond(cmd, RETRY_STATUS);
            return;
        }
        if (!c.hasRoom()) {
            cmd.transition(OffloadCommandState.WAITING_FOR_BACKEND);
            c.enqueueWaiting(cmd.index);
            return;
        }
        cmd.transition(OffloadCommandState.AT_BACKEND);
        cmd.submittedAt = 0;  // stamped by the next housekeeping pass: reading the clock per command is dear
        NamespaceRoute r = route(cmd.frontendNsid);
        c.submit(cmd, r != null ? r.mapping.nvmeNsid() : cmdBackendNsid(cmd), pageSize);
    }

    private static int cmdBackendNsid(OffloadCommand cmd) {
        for (NamespaceMapping m : cmd.backend.mappings) {
            if (m.frontendNsid() == cmd.frontendNsid) {
                return m.nvmeNsid();
            }
        }
        return 0;  // unmapped while staged: the backend answers Invalid Namespace
    }

    /** The backend posted a CQE for slot {@code cid}. */
    void backendCompleted(EmulatedBackendController c, int cid, int status) {
        if (cid < 0 || cid >= commands.length || commands[cid].backend != c || commands[cid].state != OffloadCommandState.AT_BACKEND) {
            LOG.log(System.Logger.Level.WARNING, "{0} completed CID {1}, which it was not running; ignored", c, cid);
            return;
        }
        OffloadCommand cmd = commands[cid];
        NamespaceRoute r = route(cmd.frontendNsid);
        boolean ok = StatusField.isSuccess(status);
        if (r != null && r.controller == c) {
            count(r, cmd, ok);
        }
        if (cmd.sampleStart != 0) {
            long latency = (System.nanoTime() - cmd.sampleStart) / 100;
            if (cmd.opcode == OPC_READ) {
                lastReadLatency100ns = latency;
            } else if (cmd.opcode == OPC_WRITE) {
                lastWriteLatency100ns = latency;
            }
        }
        respond(cmd, status);
    }

    private static void count(NamespaceRoute r, OffloadCommand cmd, boolean ok) {
        if (!ok) {
            r.errorCommands++;
            r.backendErrorCommands++;
            return;
        }
        switch (cmd.opcode) {
            case OPC_READ -> {
                r.readCommands++;
                r.readBlocks += cmd.blocks;
            }
            case OPC_WRITE -> {
                r.writeCommands++;
                r.writeBlocks += cmd.blocks;
                if (cmd.inCapsule) {
                    r.inlineWriteCommands++;
                }
            }
            default -> r.flushCommands++;
        }
    }

    /** Sends the response capsule, preceded by the read data when the command read and succeeded. */
    private void respond(OffloadCommand cmd, int status) {
        cmd.transition(OffloadCommandState.RESPONDING);
        SubmissionQueueEntry front = frontView(cmd);
        responseView.wrap(responses, cmd.index * 16L)
                .post(0, 0, cmd.queue.capsules & 0xFFFF, 0, front.cid(), status, false);
        int n = 0;
        int bytes = 0;
        int first = 2 * cmd.index;
        if (cmd.opcode == OPC_READ && StatusField.isSuccess(status) && cmd.length > 0) {
            bytes = cmd.length;
            wrs.get(first + n++).reset().wrId(wrId(WRITE_WR, cmd.index)).opcode(WrOpcode.RDMA_WRITE).signaled(false)
                    .remote(cmd.remoteAddress, cmd.remoteKey).addSge(stagingMr, cmd.dataMrOffset, cmd.length);
        }
        var send = wrs.get(first + n++).reset().wrId(wrId(SEND_WR, cmd.index)).signaled(true)
                .addSge(responseMr, cmd.index * 16L, 16);
        if (cmd.invalidateKey) {
            send.opcode(WrOpcode.SEND_WITH_INV).invalidateRkey(cmd.remoteKey);
            remoteInvalidations++;
        } else {
            send.opcode(WrOpcode.SEND);
        }
        post(cmd, n, bytes);
    }

    /**
     * Posts the command's {@code n} prepared work requests, which move {@code bytes}; if the QP
     * refuses (it is gone), the command ends here, or, when the posting thread posted it, there.
     */
    private boolean post(OffloadCommand cmd, int n, int bytes) {
        cmd.link.set(wrs, 2 * cmd.index, n);
        // hand-offs and batching are the poller's; a control thread's post stays here
        if (router.handOffOrBatch(cmd.link, cmd.queue.batch, bytes, postJobs[cmd.index])) {
            return true;
        }
        try {
            cmd.link.postOn(cmd.queue.qp);
            return true;
        } catch (RuntimeException e) {
            refused(cmd, e);
            return false;
        }
    }

    /** Whether sends wait for {@link #flushBatches}; on the poller. */
    boolean hasBatchedPosts() {
        return router.hasBatched();
    }

    /** Posts each queue pair's batch in one call; a command whose work was not posted ends as a refused post does. With the lock held, on the poller. */
    void flushBatches() {
        router.flush(onNotPosted);
    }

    private void postHandedOff(OffloadCommand cmd) {
        try {
            cmd.link.postOn(cmd.queue.qp);
        } catch (RuntimeException e) {
            synchronized (this) {
                refused(cmd, e);
            }
        }
    }

    private void refused(OffloadCommand cmd, RuntimeException e) {
        LOG.log(System.Logger.Level.DEBUG, "QP {0} refused the engine''s work request: {1}", cmd.queue.qp.qpNumber(), e.getMessage());
        finish(cmd);
    }

    /** A completion of a work request this context posted. */
    void completion(int kind, int index, boolean success, String describe) {
        if (index < 0 || index >= commands.length) {
            return;
        }
        OffloadCommand cmd = commands[index];
        if (kind == READ_WR && cmd.state == OffloadCommandState.READING_HOST_DATA) {
            if (success) {
                submitToBackend(cmd);
            } else {
                LOG.log(System.Logger.Level.DEBUG, "RDMA READ of host data failed: {0}", describe);
                NamespaceRoute r = route(cmd.frontendNsid);
                if (r != null) {
                    r.errorCommands++;
                }
                finish(cmd);
            }
        } else if (kind == SEND_WR && cmd.state == OffloadCommandState.RESPONDING) {
            finish(cmd);
        } else if (kind == WRITE_WR && !success) {
            LOG.log(System.Logger.Level.DEBUG, "RDMA WRITE of read data failed: {0}", describe);
        }
    }

    /** The command is over for its QP: its slot returns, unless its backend may still write it. */
    private void finish(OffloadCommand cmd) {
        QpAttachment att = cmd.queue;
        att.outstanding--;
        inFlight--;
        if (cmd.backendMayWrite && cmd.backend.state == EmulatedBackendController.State.FAILED) {
            cmd.transition(OffloadCommandState.QUARANTINED);
        } else {
            release(cmd);
        }
        if (att.draining && att.outstanding == 0) {
            offload.lastCqeReached(att);
        }
    }

    private void release(OffloadCommand cmd) {
        cmd.reset();
        free[freeCount++] = cmd.index;
    }

    /**
     * The poller's look before it takes the lock, once per pass: true when this pass has nothing to
     * do (no command at or waiting for a backend, no back-pressured capsule, no housekeeping due).
     * The poller spins on its CQ between capsules, and under a CPU-bound load every idle pass that
     * takes a lock and walks the backends is time the host and the rest of the target do not get.
     * The counts read here are written by the poller itself (under the lock) or, for a failing
     * backend, by a control thread whose change the next housekeeping pass sees at the latest.
     */
    boolean quietPass() {
        if ((++progressCalls & HOUSEKEEPING_MASK) == 0) {
            housekeepingDue = true;
        }
        return !housekeepingDue && pending.count() == 0 && !backendsHaveWork();
    }

    /**
     * Nothing at the backends and nothing back-pressured: the poller may sleep on its CQ. The next
     * pass, after the sleep, checks the backends for faults (a PCI error on an idle backend is
     * found within one sleep). Poller thread, without the lock as {@link #quietPass}.
     */
    boolean readyToSleep() {
        if (pending.count() > 0 || backendsHaveWork() || router.hasBatched()) {
            return false;
        }
        housekeepingDue = true;
        return true;
    }

    /** Whether any backend controller owes the engine a completion; read without the lock (see {@link #quietPass}). */
    boolean backendsHaveWork() {
        for (EmulatedBackendController c : controllerSnapshot) {
            if (c.hasWork()) {
                return true;
            }
        }
        return false;
    }

    /** Polls the backends, does housekeeping now and then, and serves back-pressured capsules. */
    int progress() {
        if (!pollerClaimed) {
            // the poller's first pass; the posting thread then takes hand-offs from it alone
            router.claimForPoller();
            pollerClaimed = true;
        }
        int n = 0;
        for (int i = 0; i < controllers.size(); i++) {
            EmulatedBackendController c = controllers.get(i);
            if (c.state == EmulatedBackendController.State.ACTIVE) {
                n += c.reap();
                n += submitWaiting(c);
            }
        }
        if (housekeepingDue) {
            housekeepingDue = false;
            coarseNow = System.nanoTime();
            checkBackends();
        }
        if (pending.count() > 0) {
            n += servePending();
        }
        return n;
    }

    private int submitWaiting(EmulatedBackendController c) {
        int n = 0;
        while (c.hasRoom()) {
            int slot = c.dequeueWaiting();
            if (slot < 0) {
                break;
            }
            submitToBackend(commands[slot]);
            n++;
        }
        return n;
    }

    private int servePending() {
        int n = 0;
        while (pending.count() > 0 && freeCount > 0) {
            QpAttachment att = pending.headOwner();
            MemorySegment seg = pending.segment();
            long base = pending.headOffset();
            if (!att.draining) {
                if (classify(seg, base, pending.headLength())) {
                    start(take(), att, seg, base);
                } else {
                    // Unmapped or failed since it was accepted; software cannot take it back now,
                    // so the host retries it and the retry finds the software path.
                    OffloadCommand cmd = take();
                    MemorySegment.copy(seg, base, cmd.sqe, 0, SubmissionQueueEntry.SIZE);
                    cmd.queue = att;
                    cmd.opcode = -1;
                    att.outstanding++;
                    inFlight++;
                    respond(cmd, RETRY_STATUS);
                }
            }
            pending.removeHead();
            n++;
        }
        return n;
    }

    /** Timeouts and PCI faults: the two events a backend controller can raise. */
    private void checkBackends() {
        for (int i = 0; i < controllers.size(); i++) {
            EmulatedBackendController c = controllers.get(i);
            if (c.state != EmulatedBackendController.State.ACTIVE) {
                continue;
            }
            String fault = c.pciFault();
            if (fault != null) {
                fail(c, NvmfEventType.NVME_PCI_ERR, fault);
                continue;
            }
            // The poller does housekeeping after every sleep, so at low queue depth this runs once
            // per command: walk the slots only while the backend owes completions, and only until
            // all of them were seen (a walk of every slot per wake-up cost QD1 a tenth of its rate).
            int owed = c.atBackend;
            for (int k = 0; owed > 0 && k < commands.length; k++) {
                OffloadCommand cmd = commands[k];
                if (cmd.backend != c || cmd.state != OffloadCommandState.AT_BACKEND) {
                    continue;
                }
                owed--;
                if (cmd.submittedAt == 0) {
                    cmd.submittedAt = coarseNow;
                } else if (coarseNow - cmd.submittedAt > c.timeoutNanos) {
                    fail(c, NvmfEventType.NVME_TIMEOUT, "CID " + cmd.index + " got no completion within "
                            + c.timeoutNanos / 1_000_000 + " ms");
                    break;
                }
            }
        }
    }

    private void fail(EmulatedBackendController c, NvmfEventType type, String why) {
        c.failure = why;
        failCommandsOf(c, true);
        LOG.log(System.Logger.Level.WARNING, "{0}: {1}: {2}", c, type, why);
        offload.raise(type, c, why);
    }

    /**
     * Answers every command of a failed backend with a retryable status. Those the backend held are
     * quarantined once answered, since the device could still write their slots.
     */
    private void failCommandsOf(EmulatedBackendController c, boolean failed) {
        c.state = failed ? EmulatedBackendController.State.FAILED : c.state;
        for (OffloadCommand cmd : commands) {
            if (cmd.backend != c) {
                continue;
            }
            if (cmd.state == OffloadCommandState.AT_BACKEND || cmd.state == OffloadCommandState.WAITING_FOR_BACKEND) {
                NamespaceRoute r = route(cmd.frontendNsid);
                if (r != null && r.controller == c) {
                    r.errorCommands++;
                    r.backendErrorCommands++;
                }
                if (cmd.state == OffloadCommandState.AT_BACKEND) {
                    cmd.backendMayWrite = true;
                }
                respond(cmd, RETRY_STATUS);
            }
        }
        while (c.dequeueWaiting() >= 0) {
            // answered above
        }
    }
}
