package io.nvmfoffload.offload.emulated;

import io.nvmfoffload.nvme.spec.CompletionQueueEntry;
import io.nvmfoffload.nvme.spec.ControllerRegisters;
import io.nvmfoffload.nvme.spec.Ordered;
import io.nvmfoffload.nvme.spec.PrpListBuilder;
import io.nvmfoffload.nvme.spec.SubmissionQueueEntry;
import io.nvmfoffload.verbs.Errno;
import io.nvmfoffload.verbs.nvmf.BackendController;
import io.nvmfoffload.verbs.nvmf.BackendControllerAttributes;
import io.nvmfoffload.verbs.nvmf.MemoryRange;
import io.nvmfoffload.verbs.nvmf.NamespaceMapping;
import io.nvmfoffload.verbs.nvmf.NvmfOffloadException;
import io.nvmfoffload.verbs.nvmf.NvmfSrq;
import io.nvmfoffload.verbs.nvmf.OffloadNamespaceCounters;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The engine's side of one backend NVMe controller: it writes SQEs with PRPs into the backend's SQ
 * ring, rings the SQ tail doorbell, reaps the CQ by phase tag and rings the CQ head doorbell, all
 * through the addresses it was given, as the NIC does over PCIe. Guarded by its context's lock.
 */
final class EmulatedBackendController implements BackendController {
    /** ACTIVE until a fault (FAILED, answered by release) or its release (CLOSED); no way back. */
    enum State {
        ACTIVE, FAILED, CLOSED;

        boolean canMoveTo(State next) {
            return switch (this) {
                case ACTIVE -> next == FAILED || next == CLOSED;
                case FAILED -> next == CLOSED;
                case CLOSED -> false;
            };
        }
    }

    /**
     * The backend queue pair's memory as the device sees it: SQ and CQ rings, the two doorbells,
     * CSTS (null: not watched), the doorbell values it starts from, and whether the software has
     * destroyed the queues: what the device learns when the memory regions it was given for the
     * SQ and CQ are deregistered, which the software does only once the backend no longer uses them.
     */
    record Rings(MemorySegment sq, MemorySegment cq, MemorySegment sqTailDoorbell, MemorySegment cqHeadDoorbell,
                 MemorySegment controllerStatus, int sqTailInitial, int cqHeadInitial, BooleanSupplier destroyed) {
        static Rings of(BackendControllerAttributes a) {
            return new Rings(view(a.sqBuffer()), view(a.cqBuffer()), view(a.sqTailDoorbell()), view(a.cqHeadDoorbell()),
                    a.controllerStatus() == null ? null : view(a.controllerStatus()), a.sqTailInitial(), a.cqHeadInitial(),
                    () -> a.sqBuffer().memoryRegion().isClosed() && a.cqBuffer().memoryRegion().isClosed());
        }

        private static MemorySegment view(MemoryRange range) {
            return MemorySegment.ofAddress(range.address()).reinterpret(range.length());
        }

        /** Entries of the shallower ring. */
        int entries() {
            return (int) Math.min(sq.byteSize() / SubmissionQueueEntry.SIZE, cq.byteSize() / CompletionQueueEntry.SIZE);
        }
    }

    /** Where reaped completions go. */
    interface CompletionSink {
        /** The backend posted a CQE for slot {@code cid} with {@code status} (status field, no phase). */
        void backendCompleted(EmulatedBackendController c, int cid, int status);
    }

    private final int id;
    private final EmulatedNvmfSrq srq;
    private final BackendControllerAttributes attributes;
    private final MemorySegment sqRing;
    private final MemorySegment cqRing;
    private final MemorySegment sqDoorbell;
    private final MemorySegment cqDoorbell;
    private final MemorySegment status;
    private final BooleanSupplier queuesDestroyed;
    final int entries;
    final long timeoutNanos;
    private final SubmissionQueueEntry sqe = new SubmissionQueueEntry();
    private final CompletionQueueEntry cqe = new CompletionQueueEntry();
    private int sqTail;
    private int cqHead;
    private boolean phase = true;
    /** Commands in the backend SQ whose CQE has not been reaped. */
    int atBackend;
    /** Commands staged and waiting for an SQ entry, oldest first (slot indices). */
    private final int[] waiting;
    private int waitHead;
    private int waitCount;
    private State state = State.ACTIVE;
    String failure;
    final List<NamespaceMapping> mappings = new ArrayList<>();

    /**
     * @param srq        the context it belongs to (its verbs go there)
     * @param attributes what it was created with; null only for a controller made in a test
     * @param rings      its queue pair's memory
     * @param slots      the context's staging slots: at most that many commands wait for an SQ entry
     */
    EmulatedBackendController(int id, EmulatedNvmfSrq srq, BackendControllerAttributes attributes, Rings rings, long timeoutNanos,
                              int slots) {
        this.id = id;
        this.srq = srq;
        this.attributes = attributes;
        this.sqRing = rings.sq();
        this.cqRing = rings.cq();
        this.sqDoorbell = rings.sqTailDoorbell();
        this.cqDoorbell = rings.cqHeadDoorbell();
        this.status = rings.controllerStatus();
        this.queuesDestroyed = rings.destroyed();
        this.entries = rings.entries();
        this.timeoutNanos = timeoutNanos;
        this.sqTail = rings.sqTailInitial();
        this.cqHead = rings.cqHeadInitial();
        this.waiting = new int[slots];
    }

    State state() {
        return state;
    }

    /** Moves to {@code next}; a move back to ACTIVE, or out of CLOSED, is a bug and throws. */
    void moveTo(State next) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException(this + ": illegal transition " + state + " -> " + next);
        }
        state = next;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public NvmfSrq srq() {
        return srq;
    }

    @Override
    public BackendControllerAttributes attributes() {
        return attributes;
    }

    @Override
    public void mapNamespace(NamespaceMapping mapping) {
        srq.map(this, mapping);
    }

    @Override
    public void unmapNamespace(int frontendNsid) {
        srq.unmap(this, frontendNsid);
    }

    @Override
    public List<NamespaceMapping> namespaces() {
        return srq.namespacesOf(this);
    }

    @Override
    public OffloadNamespaceCounters counters(int frontendNsid) {
        return srq.counters(this, frontendNsid);
    }

    @Override
    public void close() {
        srq.removeController(this);
    }

    // --- the NVMe queue pair, driven from the engine (context lock held) ---

    /** An SQ entry is free: one ring slot always stays empty, so at most entries - 1 are in use. */
    boolean hasRoom() {
        return atBackend < entries - 1;
    }

    /**
     * Writes the backend SQE for {@code cmd} at the tail and rings the doorbell. Rebuilt, it carries
     * the opcode and CDW10-15 of the host's SQE and nothing else of it (CDW2-3 zero); passed through
     * ({@code passthrough}: passthrough_sqe_rw), it is the host's SQE as it came, CDW2-3 included.
     * Either way CID (the slot), NSID (the backend's), PSDT, MPTR (zero: a host address means
     * nothing to the backend) and the data pointer (PRPs into the slot) are the device's own.
     */
    void submit(OffloadedCommand cmd, int backendNsid, int pageSize, boolean passthrough) {
        SubmissionQueueEntry front = cmd.front;
        long at = (long) sqTail * SubmissionQueueEntry.SIZE;
        if (passthrough) {
            MemorySegment.copy(cmd.sqe, 0, sqRing, at, SubmissionQueueEntry.SIZE);
            sqe.wrap(sqRing, at).psdt(SubmissionQueueEntry.PSDT_PRP).cid(cmd.index).nsid(backendNsid).mptr(0).prp1(0).prp2(0);
        } else {
            sqe.wrap(sqRing, at).clear()
                    .opcode(cmd.opcode).cid(cmd.index).nsid(backendNsid)
                    .cdw10(front.cdw10()).cdw11(front.cdw11()).cdw12(front.cdw12())
                    .cdw13(front.cdw13()).cdw14(front.cdw14()).cdw15(front.cdw15());
        }
        if (cmd.length > 0) {
            PrpListBuilder.fill(sqe, cmd.dataAddress, cmd.length, pageSize, cmd.prpList);
        }
        sqTail = sqTail + 1 == entries ? 0 : sqTail + 1;
        atBackend++;
        Ordered.setIntRelease(sqDoorbell, 0, sqTail);
    }

    /** Reaps posted completions, handing each to {@code sink}; rings the CQ head doorbell once. */
    int reap(CompletionSink sink) {
        int n = 0;
        while (true) {
            cqe.wrap(cqRing, (long) cqHead * CompletionQueueEntry.SIZE);
            if (cqe.phaseAcquire() != phase) {
                break;
            }
            int cid = cqe.cid();
            int statusField = cqe.status();
            cqHead = cqHead + 1 == entries ? 0 : cqHead + 1;
            if (cqHead == 0) {
                phase = !phase;
            }
            atBackend--;
            n++;
            sink.backendCompleted(this, cid, statusField);
        }
        if (n > 0) {
            Ordered.setIntRelease(cqDoorbell, 0, cqHead);
        }
        return n;
    }

    /** Commands this backend owes the engine: in its SQ, or staged and waiting for an SQ entry. */
    boolean hasWork() {
        return state == State.ACTIVE && (atBackend > 0 || waitCount > 0);
    }

    void enqueueWaiting(int slot) {
        waiting[(waitHead + waitCount) % waiting.length] = slot;
        waitCount++;
    }

    /** The oldest waiting slot, or -1. */
    int dequeueWaiting() {
        if (waitCount == 0) {
            return -1;
        }
        int slot = waiting[waitHead];
        waitHead = (waitHead + 1) % waiting.length;
        waitCount--;
        return slot;
    }

    /** Whether the software destroyed this backend's queues: the backend can no longer write a staging slot for it. */
    boolean queuesDestroyed() {
        return queuesDestroyed.getAsBoolean();
    }

    /**
     * What the PCIe fabric says of the backend: a read of all ones is a link that is down (a PCI
     * error); CSTS.CFS is the controller's own fatal status. Null while healthy.
     */
    String pciFault() {
        if (status == null) {
            return null;
        }
        int csts = Ordered.getIntAcquire(status, 0);
        if (csts == -1) {
            return "register reads return all ones (PCIe link down)";
        }
        if (ControllerRegisters.cstsCfs(csts)) {
            return "CSTS.CFS is set (controller fatal status, CSTS=0x" + Integer.toHexString(csts) + ")";
        }
        return null;
    }

    NvmfOffloadException error(String verb, Errno errno, String detail) {
        return new NvmfOffloadException(verb, errno, EmulatedNvmfOffloadProvider.NAME, "backend controller " + id + ": " + detail);
    }

    @Override
    public String toString() {
        return "backend controller " + id + " (" + entries + "-entry queue, " + state + ")";
    }
}
