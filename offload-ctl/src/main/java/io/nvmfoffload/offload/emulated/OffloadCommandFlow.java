package io.nvmfoffload.offload.emulated;

import io.nvmfoffload.nvme.spec.CompletionQueueEntry;
import io.nvmfoffload.nvme.spec.NvmeStatus;
import io.nvmfoffload.nvme.spec.StatusField;
import io.nvmfoffload.verbs.WcStatus;
import io.nvmfoffload.verbs.nvmf.NamespaceMapping;
import io.nvmfoffload.verbs.nvmf.NvmfEventType;

import java.lang.foreign.MemorySegment;
import java.util.function.LongSupplier;

import static io.nvmfoffload.offload.emulated.CapsuleClassifier.OPC_READ;
import static io.nvmfoffload.offload.emulated.CapsuleClassifier.OPC_WRITE;

/**
 * The engine's work on the capsules of one offload context: a capsule it executes takes a staging
 * slot (or waits in {@link PendingCapsules} while none is free), its write data arrives by RDMA
 * READ or is copied out of the capsule, an SQE with PRPs into the slot goes on the backend's SQ,
 * the CQE is reaped, read data goes back by RDMA WRITE chained with the response SEND, and the
 * slot returns once the SEND completed. Every command is answered exactly once and its slot comes
 * back on every path, a failed backend's included (after its release, when the device might
 * still write the slot).
 *
 * <p>Runs under the context's lock, taken by the engine's entry points; {@link #quietPass},
 * {@link #readyToSleep} and {@link #backendsHaveWork} are the poller's look without it.
 */
final class OffloadCommandFlow implements EmulatedBackendController.CompletionSink, HostTransfers.Refusals {
    private static final System.Logger LOG = System.getLogger(OffloadCommandFlow.class.getName());
    /** Retryable (DNR clear): the host requeues the command, and the retry finds the software path. */
    static final int RETRY_STATUS = NvmeStatus.NAMESPACE_NOT_READY.field(false);

    private final StagingSlots slots;
    private final NamespaceRoutes routes;
    private final BackendControllers controllers;
    private final CapsuleClassifier classifier;
    private final PendingCapsules pending;
    private final HostTransfers transfers;
    private final EngineEvents events;
    private final BackendWatchdog watchdog;
    /**
     * The device can Send with Invalidate (memory management extensions). The transport binding
     * lets a controller answer a keyed SGL of the invalidate subtype that way, as nvmet-rdma and
     * our software path do: the host then skips the LOCAL_INV it would otherwise post and wait for.
     */
    private final boolean remoteInvalidate;
    /** passthrough_sqe_rw: reads and writes go to the backend as the host's SQE, not rebuilt (flushes always are). */
    private final boolean passthroughSqeRw;
    private final CompletionQueueEntry responseView = new CompletionQueueEntry();
    private boolean closed;
    private int inFlight;
    /** Slots QUARANTINED: a removed or failed backend's queues may still hold commands that write them. */
    private int quarantined;
    private long remoteInvalidations;
    private long lastReadLatency100ns;
    private long lastWriteLatency100ns;
    /** Nanoseconds for the latency counters; read twice per read or write, at arrival and at its backend completion. */
    private LongSupplier clock = System::nanoTime;

    OffloadCommandFlow(StagingSlots slots, NamespaceRoutes routes, BackendControllers controllers, CapsuleClassifier classifier,
                       PendingCapsules pending, HostTransfers transfers, EngineEvents events, boolean remoteInvalidate,
                       boolean passthroughSqeRw) {
        this.slots = slots;
        this.routes = routes;
        this.controllers = controllers;
        this.classifier = classifier;
        this.pending = pending;
        this.transfers = transfers;
        this.events = events;
        this.remoteInvalidate = remoteInvalidate;
        this.passthroughSqeRw = passthroughSqeRw;
        this.watchdog = new BackendWatchdog(slots, controllers, this::backendFailed);
        transfers.onRefused(this);
    }

    // --- receive ---

    /** A capsule from an attached QP: true if the engine took it (executes it now or once a slot is free). */
    boolean offer(QpAttachment att, MemorySegment buffer, long base, int length) {
        att.capsuleArrived();
        if (closed) {
            return false;
        }
        ClassifiedCapsule found = classifier.classify(buffer, base, length);
        if (found == null) {
            return false;
        }
        long arrival = found.opcode == CapsuleClassifier.OPC_FLUSH ? 0 : clock.getAsLong();
        if (pending.count() > 0 || !slots.hasFree()) {
            return pending.add(att, buffer, base, length, arrival);
        }
        start(slots.take(), att, buffer, base, found, arrival);
        return true;
    }

    private void start(OffloadedCommand cmd, QpAttachment att, MemorySegment capsule, long base, ClassifiedCapsule found,
                       long arrival) {
        cmd.accept(att, capsule, base, found, found.invalidate && remoteInvalidate);
        cmd.receivedAt = arrival;
        att.outstanding++;
        inFlight++;
        if (cmd.opcode == OPC_WRITE && cmd.length > 0) {
            if (!cmd.inCapsule) {
                cmd.transition(OffloadCommandState.READING_HOST_DATA);
                transfers.readHostData(cmd);
                return;
            }
            MemorySegment.copy(capsule, base + found.dataOffset, cmd.data, 0, cmd.length);
        }
        submitToBackend(cmd);
    }

    /** Serves back-pressured capsules while slots are free; one whose namespace went meanwhile gets a retryable status. */
    private int servePending() {
        int n = 0;
        while (pending.count() > 0 && slots.hasFree()) {
            QpAttachment att = pending.headOwner();
            MemorySegment seg = pending.segment();
            long base = pending.headOffset();
            if (!att.draining) {
                ClassifiedCapsule found = classifier.classifyAgain(seg, base, pending.headLength());
                OffloadedCommand cmd = slots.take();
                if (found != null) {
                    start(cmd, att, seg, base, found, pending.headReceivedAt());
                } else {
                    // software cannot take it back now: the host retries it and the retry finds the software path
                    cmd.acceptForAnswer(att, seg, base);
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

    // --- backend ---

    private void submitToBackend(OffloadedCommand cmd) {
        EmulatedBackendController c = cmd.backend;
        if (c.state() != EmulatedBackendController.State.ACTIVE) {
            respond(cmd, RETRY_STATUS);
            return;
        }
        if (!c.hasRoom()) {
            cmd.transition(OffloadCommandState.WAITING_FOR_BACKEND);
            c.enqueueWaiting(cmd.index);
            return;
        }
        cmd.transition(OffloadCommandState.AT_BACKEND);
        cmd.submittedAt = 0;  // stamped by the watchdog's next check: reading the clock per command is dear
        NamespaceRoute r = routes.get(cmd.frontendNsid);
        c.submit(cmd, r != null ? r.mapping.nvmeNsid() : backendNsidOf(cmd), slots.pageSize(),
                passthroughSqeRw && cmd.opcode != CapsuleClassifier.OPC_FLUSH);
    }

    private static int backendNsidOf(OffloadedCommand cmd) {
        for (NamespaceMapping m : cmd.backend.mappings) {
            if (m.frontendNsid() == cmd.frontendNsid) {
                return m.nvmeNsid();
            }
        }
        return 0;  // unmapped while staged: the backend answers Invalid Namespace
    }

    private int submitWaiting(EmulatedBackendController c) {
        int n = 0;
        while (c.hasRoom()) {
            int slot = c.dequeueWaiting();
            if (slot < 0) {
                break;
            }
            submitToBackend(slots.get(slot));
            n++;
        }
        return n;
    }

    @Override
    public void backendCompleted(EmulatedBackendController c, int cid, int status) {
        if (!slots.isSlot(cid) || slots.get(cid).backend != c || slots.get(cid).state != OffloadCommandState.AT_BACKEND) {
            LOG.log(System.Logger.Level.WARNING, "{0} completed CID {1}, which it was not running; ignored", c, cid);
            return;
        }
        OffloadedCommand cmd = slots.get(cid);
        NamespaceRoute r = routes.get(cmd.frontendNsid);
        if (r != null && r.controller == c) {
            count(r, cmd, StatusField.isSuccess(status));
        }
        // the vendor's stat: the latency of the last read and of the last write, in 0.1 us units
        if (cmd.opcode == OPC_READ) {
            lastReadLatency100ns = (clock.getAsLong() - cmd.receivedAt) / 100;
        } else if (cmd.opcode == OPC_WRITE) {
            lastWriteLatency100ns = (clock.getAsLong() - cmd.receivedAt) / 100;
        }
        respond(cmd, status);
    }

    private static void count(NamespaceRoute r, OffloadedCommand cmd, boolean ok) {
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

    /** The watchdog found {@code c} faulty: it fails, its commands are answered, the event is raised. */
    void backendFailed(EmulatedBackendController c, NvmfEventType type, String why) {
        c.failure = why;
        c.moveTo(EmulatedBackendController.State.FAILED);
        answerCommandsOf(c);
        LOG.log(System.Logger.Level.WARNING, "{0}: {1}: {2}", c, type, why);
        events.raise(type, c, why);
    }

    /**
     * Answers every command {@code c} holds or is to take with a retryable status. Those it held
     * stay quarantined once answered, until its queues are destroyed: the device could still
     * write their slots.
     */
    void answerCommandsOf(EmulatedBackendController c) {
        for (int k = 0; k < slots.count(); k++) {
            OffloadedCommand cmd = slots.get(k);
            if (cmd.backend != c) {
                continue;
            }
            if (cmd.state == OffloadCommandState.AT_BACKEND || cmd.state == OffloadCommandState.WAITING_FOR_BACKEND) {
                NamespaceRoute r = routes.get(cmd.frontendNsid);
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

    /**
     * Returns the quarantined slots whose backend's queues are destroyed. Releasing a controller
     * is not enough: after a PCI error its queues are kept, and the device may still write them.
     */
    void releaseQuarantined() {
        for (int k = 0; quarantined > 0 && k < slots.count(); k++) {
            OffloadedCommand cmd = slots.get(k);
            if (cmd.state == OffloadCommandState.QUARANTINED && cmd.backend.queuesDestroyed()) {
                slots.release(cmd);
                quarantined--;
            }
        }
    }

    /** Slots out of use until their backend's queues are destroyed. */
    int quarantined() {
        return quarantined;
    }

    // --- response ---

    /** Sends the response capsule, preceded by the read data when the command read and succeeded. */
    private void respond(OffloadedCommand cmd, int status) {
        cmd.transition(OffloadCommandState.RESPONDING);
        QpAttachment att = cmd.queue;
        if (att.released) {
            // the device let go of the QP at its drain: the answer has nowhere to go
            finish(cmd);
            return;
        }
        // as the software path's NvmfQueue: the SQID of the command's queue and its SQ head now
        responseView.wrap(cmd.response, 0).post(0, 0, att.sqHead, att.sqid, cmd.front.cid(), status, false);
        if (cmd.invalidateKey) {
            remoteInvalidations++;
        }
        transfers.sendResponse(cmd, cmd.opcode == OPC_READ && StatusField.isSuccess(status) ? cmd.length : 0);
    }

    /**
     * A completion of a work request the transfers posted for slot {@code index}, with its status
     * (null: one this binding does not know, an error).
     */
    void completion(int kind, int index, WcStatus status, String describe) {
        if (!slots.isSlot(index)) {
            return;
        }
        OffloadedCommand cmd = slots.get(index);
        boolean success = status == WcStatus.IBV_WC_SUCCESS;
        if (kind == HostTransfers.READ_WR && cmd.state == OffloadCommandState.READING_HOST_DATA) {
            if (success) {
                submitToBackend(cmd);
            } else {
                NamespaceRoute r = routes.get(cmd.frontendNsid);
                if (r != null) {
                    r.errorCommands++;
                }
                failed(cmd.queue, status, "RDMA READ of host data failed: " + describe);
                finish(cmd);
            }
        } else if (kind == HostTransfers.SEND_WR && cmd.state == OffloadCommandState.RESPONDING) {
            if (!success) {
                failed(cmd.queue, status, "the response SEND failed: " + describe);
            }
            finish(cmd);
        } else if (kind == HostTransfers.WRITE_WR && !success && cmd.state == OffloadCommandState.RESPONDING) {
            failed(cmd.queue, status, "RDMA WRITE of read data failed: " + describe);
        }
    }

    /**
     * Work the engine posted for {@code att} failed. A flush only says the QP was in ERROR already;
     * any other error put it there: as nvmet-rdma with its own work requests, the queue goes.
     */
    private void failed(QpAttachment att, WcStatus status, String what) {
        LOG.log(System.Logger.Level.DEBUG, "{0}: {1}", att, what);
        if (status != WcStatus.IBV_WC_WR_FLUSH_ERR) {
            qpFatal(att, what);
        }
    }

    /** Raises QP_FATAL once for a QP not already going away. */
    private void qpFatal(QpAttachment att, String why) {
        if (!att.fatal && !att.draining) {
            att.fatal = true;
            events.qpFatal(att, why);
        }
    }

    @Override
    public void refused(OffloadedCommand cmd, RuntimeException why) {
        LOG.log(System.Logger.Level.DEBUG, "{0} refused the engine''s work request: {1}", cmd.queue, why.getMessage());
        // as the transport does when a post of its own fails: the QP cannot carry the queue any more
        qpFatal(cmd.queue, "the QP refused the engine's work request: " + why.getMessage());
        finish(cmd);
    }

    /** The command is over for its QP: its slot returns, unless the backend it was taken from may still write it. */
    private void finish(OffloadedCommand cmd) {
        QpAttachment att = cmd.queue;
        att.outstanding--;
        inFlight--;
        if (cmd.backendMayWrite && !cmd.backend.queuesDestroyed()) {
            cmd.transition(OffloadCommandState.QUARANTINED);
            quarantined++;
        } else {
            slots.release(cmd);
        }
        if (att.draining && !att.released && att.outstanding == 0) {
            events.lastCqeReached(att);
        }
    }

    /**
     * The QP of {@code att} is in ERROR and its device does not raise QP_LAST_NVME_CQE_REACHED, so
     * the software may free the QP once its send queue is drained: from now on nothing is posted
     * on it. Its commands still run to their end; their answers are dropped, as the QP would flush
     * them, and their slots return as usual. What was posted or batched before this completes
     * (flushed) ahead of the transport's drain marker; a post handed to the posting thread either
     * was made before this returns or is never made.
     */
    void release(QpAttachment att) {
        att.draining = true;
        synchronized (att) {
            att.released = true;
        }
    }

    // --- the poller's pass ---

    /**
     * The poller's look before it takes the lock, once per pass: true when this pass has nothing to
     * do (no command at or waiting for a backend, no back-pressured capsule, no check due). Under a
     * CPU-bound load every idle pass that takes a lock and walks the backends is time the host and
     * the rest of the target do not get. The counts read here are written by the poller itself
     * (under the lock) or, for a failing backend, by a control thread whose change the next check
     * sees at the latest.
     */
    boolean quietPass() {
        return !watchdog.countPass() && pending.count() == 0 && !controllers.haveWork();
    }

    /**
     * Nothing at the backends and nothing back-pressured: the poller may sleep on its CQ, and the
     * watchdog checks on the pass after the sleep. Poller thread, without the lock.
     */
    boolean readyToSleep() {
        if (pending.count() > 0 || controllers.haveWork() || transfers.hasBatched()) {
            return false;
        }
        watchdog.dueAfterSleep();
        return true;
    }

    /** Whether any backend controller owes the engine a completion; without the lock. */
    boolean backendsHaveWork() {
        return controllers.haveWork();
    }

    /** Polls the backends, lets the watchdog check when due, and serves back-pressured capsules. */
    int progress() {
        transfers.claimForPoller();
        int n = 0;
        for (int i = 0; i < controllers.size(); i++) {
            EmulatedBackendController c = controllers.get(i);
            if (c.state() == EmulatedBackendController.State.ACTIVE) {
                n += c.reap(this);
                n += submitWaiting(c);
            }
        }
        if (watchdog.checkIfDue() && quarantined > 0) {
            releaseQuarantined();
        }
        if (pending.count() > 0) {
            n += servePending();
        }
        return n;
    }

    /** Whether sends wait for {@link #flushBatches}; poller. */
    boolean hasBatchedPosts() {
        return transfers.hasBatched();
    }

    /** Posts each queue pair's batch; a command whose work was not posted ends as a refused post does. */
    void flushBatches() {
        transfers.flushBatches();
    }

    // --- counters and close ---

    int inFlight() {
        return inFlight;
    }

    /** Commands in the context: those holding a slot and those held back for one. */
    int queueDepth() {
        return inFlight + pending.count();
    }

    long remoteInvalidations() {
        return remoteInvalidations;
    }

    long lastReadLatency100ns() {
        return lastReadLatency100ns;
    }

    long lastWriteLatency100ns() {
        return lastWriteLatency100ns;
    }

    BackendWatchdog watchdog() {
        return watchdog;
    }

    /** Where the latency counters read the time, in nanoseconds; tests set a clock of their own. */
    void clock(LongSupplier nanos) {
        this.clock = nanos;
    }

    /** The context is closed: no capsule is taken any more. */
    void close() {
        closed = true;
    }
}
