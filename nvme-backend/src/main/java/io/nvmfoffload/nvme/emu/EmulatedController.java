package io.nvmfoffload.nvme.emu;

import io.nvmfoffload.idle.IdleStrategy;
import io.nvmfoffload.nvme.spec.CompletionQueueEntry;
import io.nvmfoffload.nvme.spec.ControllerRegisters;
import io.nvmfoffload.nvme.spec.FeatureId;
import io.nvmfoffload.nvme.spec.IdentifyController;
import io.nvmfoffload.nvme.spec.NvmeStatus;
import io.nvmfoffload.nvme.spec.Ordered;
import io.nvmfoffload.nvme.spec.SubmissionQueueEntry;
import io.nvmfoffload.nvme.store.NamespaceStore;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An NVMe controller in software that behaves like a PCIe SSD: a register block (BAR0) in native
 * memory, submission and completion rings in host memory reached through a {@link DmaSpace}, and
 * doorbells that another component (a NIC, or its emulation) writes with release stores. The
 * controller notices doorbells by polling, either in {@link #poll()} (deterministic, for tests)
 * or on its own device thread after {@link #start()}.
 *
 * <p>Namespaces are {@link NamespaceStore}s, shared with whoever else uses them (the software
 * target); the controller does not close them.
 *
 * <p>Faults for testing the layers above: {@link #injectFatalError} sets CSTS.CFS and stops
 * processing (a PCIe error), {@link #dropCompletions} and {@link #dropCompletionsWhere} swallow
 * commands so they never complete (a timeout).
 */
public final class EmulatedController implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EmulatedController.class.getName());
    static final int SQES = 6;
    static final int CQES = 4;
    static final int MIN_PAGE_SHIFT = 12;
    /** Commands taken from one SQ per pass, so one busy queue cannot starve the others (round robin). */
    private static final int BURST = 32;

    final ControllerConfig config;
    private final Arena arena = Arena.ofShared();
    final MemorySegment bar;
    final ControllerRegisters regs;
    final DmaSpace dma;
    final NamespaceStore[] namespaces;
    private final List<NamespaceStore.Subscription> subscriptions = new ArrayList<>();
    final SubmissionQueue[] sqs;
    final EmulatedCompletionQueue[] cqs;
    final DataTransfer transfer;
    /** Identify and log page staging, and the bounce buffer for transfers that split logical blocks. */
    final MemorySegment scratch;
    final MemorySegment bounce;
    final MemorySegment identifyController;
    final ErrorLog errorLog;
    final HealthCounters health = new HealthCounters();
    private final SubmissionQueueEntry sqe = new SubmissionQueueEntry();
    private final EmulatedAdminCommands admin;
    private final EmulatedIoCommands io;

    // Controller state, touched only by the polling thread.
    private int lastCc;
    boolean enabled;
    private boolean shutDown;
    int pageSize = 4096;
    int allocatedSqs;
    int allocatedCqs;
    int keepAliveMillis;
    long lastKeepAliveNanos;
    int asyncEventConfig;
    boolean writeCacheEnabled;
    final AsyncEvents events;
    /** Set by command handlers: the completion's dword 0, or that the command completes later (AER). */
    int resultDw0;
    boolean deferCompletion;

    // Cross-thread state.
    private volatile String fatalReason;
    private final DroppedCompletions drops = new DroppedCompletions();
    private final AtomicLong completedCommands = new AtomicLong();
    private volatile Thread deviceThread;
    private volatile boolean running;
    private volatile boolean closed;

    EmulatedController(ControllerConfig config) {
        this.config = config;
        this.dma = config.dma;
        this.namespaces = config.namespaces.toArray(new NamespaceStore[0]);
        long barSize = ControllerRegisters.DOORBELL_BASE + (config.maxIoQueues + 1L) * 2 * (4L << config.doorbellStride);
        this.bar = arena.allocate((barSize + 4095) & ~4095L, 4096);
        this.regs = new ControllerRegisters(bar);
        this.sqs = new SubmissionQueue[config.maxIoQueues + 1];
        this.cqs = new EmulatedCompletionQueue[config.maxIoQueues + 1];
        long maxTransfer = config.maxTransferBytes();
        this.transfer = new DataTransfer(dma, (int) (maxTransfer >>> MIN_PAGE_SHIFT) + 1);
        this.scratch = arena.allocate(maxTransfer + 4096, 4096);
        this.bounce = arena.allocate(maxTransfer, 4096);
        this.identifyController = arena.allocate(IdentifyController.SIZE, 8);
        this.errorLog = new ErrorLog(arena, config.errorLogEntries);
        this.events = new AsyncEvents(config.asyncEventLimit);
        regs.deviceSetCap(ControllerRegisters.cap(config.maxQueueEntries - 1, true, config.readyTimeoutUnits,
                config.doorbellStride, 0, config.maxPageShift - MIN_PAGE_SHIFT));
        regs.deviceSetVs(ControllerRegisters.version(2, 0, 0));
        IdentifyControllerData.fill(new IdentifyController(identifyController), this);
        this.admin = new EmulatedAdminCommands(this);
        this.io = new EmulatedIoCommands(this);
        resetState();
        for (int i = 0; i < namespaces.length; i++) {
            int nsid = i + 1;
            subscriptions.add(namespaces[i].addCapacityListener((store, oldBlocks, newBlocks) -> events.namespaceChanged(nsid)));
        }
    }

    public static EmulatedControllerBuilder builder(DmaSpace dma) {
        return new EmulatedControllerBuilder(dma);
    }

    /** The register block (BAR0) a host or NIC maps. */
    public ControllerRegisters registers() {
        return regs;
    }

    public MemorySegment bar() {
        return bar;
    }

    public DmaSpace dmaSpace() {
        return dma;
    }

    public int doorbellStride() {
        return config.doorbellStride;
    }

    public int namespaceCount() {
        return namespaces.length;
    }

    public NamespaceStore namespace(int nsid) {
        Objects.checkIndex(nsid - 1, namespaces.length);
        return namespaces[nsid - 1];
    }

    /** Commands that completed (posted a CQE) since creation. */
    public long completedCommands() {
        return completedCommands.get();
    }

    /** Commands swallowed by fault injection since creation. */
    public long droppedCommands() {
        return drops.dropped();
    }

    /** Why the controller is in fatal status, or null. */
    public String fatalReason() {
        return fatalReason;
    }

    /**
     * Runs one pass: reacts to CC changes, then takes commands from every SQ whose tail doorbell
     * moved, executes them and posts completions. For deterministic use without {@link #start()}.
     *
     * @return the number of commands taken from submission queues in this pass
     */
    public int poll() {
        Thread t = deviceThread;
        if (t != null && t != Thread.currentThread()) {
            throw new IllegalStateException("the device thread is running; poll() is only for use without start()");
        }
        if (closed) {
            throw new IllegalStateException("controller is closed");
        }
        return pollOnce();
    }

    private int pollOnce() {
        int cc = regs.cc();
        if (cc != lastCc) {
            controllerConfigurationChanged(cc);
        }
        if (!enabled || shutDown || fatalReason != null) {
            return 0;
        }
        if (keepAliveMillis != 0 && System.nanoTime() - lastKeepAliveNanos
                > TimeUnit.MILLISECONDS.toNanos(Integer.toUnsignedLong(keepAliveMillis))) {
            fail("Keep Alive Timer expired: no Keep Alive command for " + Integer.toUnsignedString(keepAliveMillis) + " ms");
            errorLog.record(0, 0xFFFF, NvmeStatus.KEEP_ALIVE_TIMER_EXPIRED.field(false), 0, 0);
            return 0;
        }
        deliverNamespaceNotice();
        int done = 0;
        for (int q = 0; q < sqs.length; q++) {
            SubmissionQueue sq = sqs[q];
            if (sq != null) {
                done += processQueue(sq);
                if (fatalReason != null || !enabled) {
                    break;
                }
            }
        }
        return done;
    }

    private int processQueue(SubmissionQueue sq) {
        int tail = Ordered.getIntAcquire(bar, sq.tailDoorbell);
        if (tail < 0 || tail >= sq.entries) {
            if (tail != sq.badTail) {
                sq.badTail = tail;
                LOG.log(System.Logger.Level.WARNING, "SQ " + sq.qid + " tail doorbell written with " + tail
                        + ", outside its " + sq.entries + " entries; ignored");
            }
            return 0;
        }
        int n = 0;
        while (sq.head != tail && n < BURST) {
            if (!sq.cq.hasRoom(bar)) {
                break;
            }
            sqe.wrap(sq.ring, (long) sq.head * SubmissionQueueEntry.SIZE);
            sq.head = sq.head + 1 == sq.entries ? 0 : sq.head + 1;
            execute(sq);
            n++;
            if (fatalReason != null || sqs[sq.qid] != sq) {
                break;
            }
        }
        return n;
    }

    private void execute(SubmissionQueue sq) {
        if (drops.drop(sq.qid, sqe)) {
            return;
        }
        int cid = sqe.cid();
        resultDw0 = 0;
        deferCompletion = false;
        int status;
        try {
            status = sq.qid == 0 ? admin.execute(sqe) : io.execute(sqe);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "command " + sqe + " on SQ " + sq.qid + " failed inside the controller", e);
            status = NvmeStatus.INTERNAL_ERROR.field(false);
        } finally {
            transfer.clear();
        }
        if (deferCompletion) {
            return;
        }
        if (!HealthCounters.isSuccess(status)) {
            health.countError(status);
            errorLog.record(sq.qid, cid, status, sq.qid == 0 ? 0 : sqe.slba(), sqe.nsid());
        }
        sq.cq.post(resultDw0, sq.head, sq.qid, cid, status);
        completedCommands.incrementAndGet();
    }

    // --- controller configuration, enable, reset, shutdown ---

    private void controllerConfigurationChanged(int cc) {
        boolean wasEnabled = ControllerRegisters.ccEn(lastCc);
        boolean enable = ControllerRegisters.ccEn(cc);
        lastCc = cc;
        if (wasEnabled && !enable) {
            reset();
        } else if (!wasEnabled && enable) {
            enable(cc);
        }
        if (enable && enabled && !shutDown && ControllerRegisters.ccShn(cc) != ControllerRegisters.CC_SHN_NONE) {
            shutdown();
        }
    }

    private void enable(int cc) {
        int mps = ControllerRegisters.ccMps(cc) + MIN_PAGE_SHIFT;
        if (mps > config.maxPageShift) {
            fail("CC.MPS selects " + (1L << mps) + "-byte pages; CAP.MPSMAX allows at most " + (1 << config.maxPageShift));
            return;
        }
        if (ControllerRegisters.ccCss(cc) != 0) {
            fail("CC.CSS " + ControllerRegisters.ccCss(cc) + " is not the NVM command set (0)");
            return;
        }
        if (ControllerRegisters.ccIosqes(cc) != SQES || ControllerRegisters.ccIocqes(cc) != CQES) {
            fail("CC.IOSQES/IOCQES are " + ControllerRegisters.ccIosqes(cc) + "/" + ControllerRegisters.ccIocqes(cc)
                    + "; this controller needs 6/4 (64-byte SQEs, 16-byte CQEs)");
            return;
        }
        pageSize = 1 << mps;
        int aqa = regs.aqa();
        int asqEntries = ControllerRegisters.aqaAsqEntries(aqa);
        int acqEntries = ControllerRegisters.aqaAcqEntries(aqa);
        if (asqEntries < 2 || acqEntries < 2 || asqEntries > config.maxQueueEntries || acqEntries > config.maxQueueEntries) {
            fail("AQA asks for admin queues of " + asqEntries + "/" + acqEntries + " entries; allowed 2.." + config.maxQueueEntries);
            return;
        }
        long asq = regs.asq();
        long acq = regs.acq();
        MemorySegment asqRing = ring(asq, (long) asqEntries * SubmissionQueueEntry.SIZE, "ASQ");
        if (asqRing == null) {
            return;
        }
        MemorySegment acqRing = ring(acq, (long) acqEntries * CompletionQueueEntry.SIZE, "ACQ");
        if (acqRing == null) {
            return;
        }
        transfer.pageSize(pageSize);
        EmulatedCompletionQueue acqState = new EmulatedCompletionQueue(0, acqRing, acqEntries, EmulatedCompletionQueue.doorbell(0, config.doorbellStride));
        acqState.submissionQueues = 1;
        cqs[0] = acqState;
        sqs[0] = new SubmissionQueue(0, asqRing, asqEntries,
                ControllerRegisters.sqTailDoorbell(0, config.doorbellStride), acqState);
        enabled = true;
        lastKeepAliveNanos = System.nanoTime();
        regs.deviceUpdateCsts(ControllerRegisters.CSTS_SHST_MASK, ControllerRegisters.CSTS_RDY);
    }

    private MemorySegment ring(long address, long bytes, String which) {
        if ((address & (pageSize - 1)) != 0) {
            fail(String.format("%s %Xh is not aligned to the %d-byte memory page", which, address, pageSize));
            return null;
        }
        DmaRegion r = dma.find(address, bytes);
        if (r == null) {
            fail(String.format("%s %Xh (%d bytes) is not in a registered DMA region", which, address, bytes));
            return null;
        }
        return r.segment().asSlice(address - r.base(), bytes);
    }

    /** Controller reset (CC.EN 1 to 0): queues are gone, features back to defaults, a fatal status cleared. */
    private void reset() {
        resetState();
        fatalReason = null;
        regs.deviceSetCsts(0);
        // Doorbells of a reset controller read as zero; the host rewrites them as it recreates queues.
        bar.asSlice(ControllerRegisters.DOORBELL_BASE).fill((byte) 0);
    }

    private void resetState() {
        Arrays.fill(sqs, null);
        Arrays.fill(cqs, null);
        enabled = false;
        shutDown = false;
        allocatedSqs = config.maxIoQueues;
        allocatedCqs = config.maxIoQueues;
        keepAliveMillis = 0;
        asyncEventConfig = FeatureId.AEC_NAMESPACE_ATTRIBUTE_NOTICES;
        writeCacheEnabled = hasVolatileWriteCache();
        events.reset();
    }

    private void shutdown() {
        regs.deviceUpdateCsts(ControllerRegisters.CSTS_SHST_MASK,
                ControllerRegisters.CSTS_SHST_OCCURRING << ControllerRegisters.CSTS_SHST_SHIFT);
        shutDown = true;
        for (NamespaceStore ns : namespaces) {
            try {
                ns.flush();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "flushing namespace " + ns.name() + " during shutdown failed", e);
            }
        }
        regs.deviceUpdateCsts(ControllerRegisters.CSTS_SHST_MASK,
                ControllerRegisters.CSTS_SHST_COMPLETE << ControllerRegisters.CSTS_SHST_SHIFT);
    }

    private void fail(String reason) {
        fatalReason = reason;
        regs.deviceUpdateCsts(0, ControllerRegisters.CSTS_CFS);
        LOG.log(System.Logger.Level.WARNING, "controller fatal status: " + reason);
    }

    boolean hasVolatileWriteCache() {
        for (NamespaceStore ns : namespaces) {
            if (ns.hasVolatileWriteCache()) {
                return true;
            }
        }
        return false;
    }

    // --- namespace change notices ---

    /** Completes an outstanding Asynchronous Event Request if a namespace changed. */
    private void deliverNamespaceNotice() {
        int cid = events.takeNotice((asyncEventConfig & FeatureId.AEC_NAMESPACE_ATTRIBUTE_NOTICES) != 0);
        if (cid < 0) {
            return;
        }
        EmulatedCompletionQueue acq = cqs[0];
        if (!acq.hasRoom(bar)) {
            events.untake(cid);
            return;
        }
        acq.post(AsyncEvents.NAMESPACE_ATTRIBUTE_CHANGED, sqs[0].head, 0, cid, NvmeStatus.SUCCESS.code());
        completedCommands.incrementAndGet();
    }

    // --- fault injection ---

    /** Puts the controller in fatal status (CSTS.CFS): it stops processing until the host resets it. */
    public void injectFatalError(String reason) {
        fail("injected: " + Objects.requireNonNull(reason, "reason"));
    }

    /** The next {@code n} commands fetched from any SQ are consumed but never complete. */
    public void dropCompletions(int n) {
        drops.next(n);
    }

    /** Commands matching {@code filter} are consumed but never complete; null removes the filter. */
    public void dropCompletionsWhere(CommandFilter filter) {
        drops.where(filter);
    }

    // --- device thread ---

    /** Starts the device thread: it polls doorbells, spinning briefly after work, then parking. */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("controller is closed");
        }
        if (deviceThread != null) {
            return;
        }
        running = true;
        Thread t = Thread.ofPlatform().daemon().name("nvme-emu-" + config.serialNumber).unstarted(this::deviceLoop);
        deviceThread = t;
        t.start();
    }

    private void deviceLoop() {
        // The occasional yield lets a submitter that shares this core run: on a busy two-core machine
        // the two spinning threads otherwise wait out whole time slices.
        IdleStrategy idle = IdleStrategy.spinForThenPark(config.spinNanos, 64, config.parkNanos);
        while (running) {
            int n;
            try {
                n = pollOnce();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "device thread failed", e);
                fail("device thread failed: " + e);
                n = 0;
            }
            idle.idle(n);
        }
    }

    /** Stops the device thread; {@link #poll()} can be used again afterwards. */
    public synchronized void stop() {
        Thread t = deviceThread;
        if (t == null) {
            return;
        }
        running = false;
        LockSupport.unpark(t);
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the device thread", e);
        }
        deviceThread = null;
    }

    public boolean isRunning() {
        return deviceThread != null;
    }

    /** Stops the device thread and frees the register block and buffers; namespaces stay open. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        stop();
        closed = true;
        for (NamespaceStore.Subscription s : subscriptions) {
            s.close();
        }
        arena.close();
    }

    @Override
    public String toString() {
        return "EmulatedController[" + config.serialNumber + ", " + namespaces.length + " namespace(s), CSTS="
                + Integer.toHexString(regs.csts()) + (fatalReason == null ? "" : ", fatal: " + fatalReason) + "]";
    }
}
