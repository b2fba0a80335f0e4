package io.nvmfoffload.nvmf.core;

import io.nvmfoffload.nvme.spec.ControllerRegisters;
import io.nvmfoffload.nvmf.Port;
import io.nvmfoffload.nvmf.Subsystem;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.UUID;

/**
 * One association between a host and a subsystem (dynamic controller model): its properties, its
 * queues, keep-alive, features and asynchronous events. Queue threads, the keep-alive timer and
 * configuration changes all reach it, so its mutable state is guarded by the instance lock.
 */
public final class Controller {
    /** Entries per I/O queue the target accepts (CAP.MQES + 1), as nvmet's NVMET_QUEUE_SIZE. */
    public static final int MAX_QUEUE_ENTRIES = 1024;
    /** Entries of the admin queue (nvmet's NVME_AQ_DEPTH). */
    public static final int ADMIN_QUEUE_ENTRIES = 32;
    public static final int MAX_IO_QUEUES = 64;
    /** Asynchronous Event Request Limit, 0-based as in Identify (AERL). */
    public static final int AERL = 3;
    public static final int VERSION_1_3 = 0x00010300;

    private final TargetCore core;
    private final int cntlid;
    private final Subsystem subsystem;
    private final boolean discovery;
    private final String hostNqn;
    private final UUID hostId;
    private final Port port;
    private final NvmfQueue[] queues = new NvmfQueue[MAX_IO_QUEUES + 1];
    private final Deque<Request> parkedAers = new ArrayDeque<>();
    private final Deque<Integer> pendingEvents = new ArrayDeque<>();
    private final int[] changedNamespaces = new int[1024];
    private int changedCount;
    private boolean changedOverflow;

    private ControllerState state = ControllerState.CONNECTED;
    private int cc;
    private int csts;
    private int katoMillis;
    private volatile long lastActivityNanos = System.nanoTime();
    private int asyncEventConfig;
    private boolean volatileWriteCache = true;

    Controller(TargetCore core, int cntlid, Subsystem subsystem, boolean discovery, String hostNqn, UUID hostId,
               Port port, int katoMillis) {
        this.core = core;
        this.cntlid = cntlid;
        this.subsystem = subsystem;
        this.discovery = discovery;
        this.hostNqn = hostNqn;
        this.hostId = hostId;
        this.port = port;
        this.katoMillis = katoMillis;
    }

    public int cntlid() {
        return cntlid;
    }

    /** The subsystem; null for a discovery controller. */
    public Subsystem subsystem() {
        return subsystem;
    }

    public boolean isDiscovery() {
        return discovery;
    }

    public String subsystemNqn() {
        return discovery ? io.nvmfoffload.nvmf.Nqn.DISCOVERY : subsystem.nqn();
    }

    public String hostNqn() {
        return hostNqn;
    }

    public UUID hostId() {
        return hostId;
    }

    public Port port() {
        return port;
    }

    public synchronized ControllerState state() {
        return state;
    }

    // --- properties ---

    public long cap() {
        // MQES (0-based) | CQR | TO = 15 x 500 ms | CSS = NVM command set; MPSMIN = MPSMAX = 4 KiB
        return (MAX_QUEUE_ENTRIES - 1) | 1L << 16 | 15L << 24 | ControllerRegisters.CAP_CSS_NVM;
    }

    public synchronized int cc() {
        return cc;
    }

    public synchronized int csts() {
        return csts;
    }

    /**
     * A host's write of CC. A reset (EN 1 to 0) or a shutdown deletes the controller's I/O queues,
     * as the base specification's controller reset does: their connections are closed, so no queue
     * (an offloaded one included, whose engine never sees CC) goes on serving I/O.
     */
    void writeCc(int value) {
        boolean ioQueuesGo;
        NvmfQueue[] open;
        synchronized (this) {
            boolean wasServing = (cc & ControllerRegisters.CC_EN) != 0 && (csts & ControllerRegisters.CSTS_RDY) != 0;
            updateCc(value);
            ioQueuesGo = wasServing && !ready();
            open = ioQueuesGo ? Arrays.copyOfRange(queues, 1, queues.length) : new NvmfQueue[0];
        }
        for (NvmfQueue q : open) {
            if (q != null) {
                q.transport().disconnect(this + " was " + ((value & ControllerRegisters.CC_SHN_MASK) != 0 ? "shut down" : "reset"));
            }
        }
    }

    private void updateCc(int value) {
        int old = cc;
        cc = value;
        boolean wasEnabled = (old & ControllerRegisters.CC_EN) != 0;
        boolean enable = (value & ControllerRegisters.CC_EN) != 0;
        if (enable && !wasEnabled) {
            int iosqes = value >>> ControllerRegisters.CC_IOSQES_SHIFT & 0xF;
            int iocqes = value >>> ControllerRegisters.CC_IOCQES_SHIFT & 0xF;
            int mps = value >>> ControllerRegisters.CC_MPS_SHIFT & 0xF;
            int css = value >>> ControllerRegisters.CC_CSS_SHIFT & 0x7;
            if ((!discovery && (iosqes != 6 || iocqes != 4)) || mps != 0 || css != 0) {
                // nvmet does the same: an enable with entry sizes it cannot honour is a fatal status
                csts = ControllerRegisters.CSTS_CFS;
                return;
            }
            csts = ControllerRegisters.CSTS_RDY;
            state = ControllerState.ENABLED;
            // as nvmet: the keep-alive timer starts over when the host enables the controller
            touch();
        } else if (!enable && wasEnabled) {
            csts = 0;
            state = ControllerState.CONNECTED;
        }
        int shn = (value & ControllerRegisters.CC_SHN_MASK) >>> ControllerRegisters.CC_SHN_SHIFT;
        if (shn != ControllerRegisters.CC_SHN_NONE && (old & ControllerRegisters.CC_SHN_MASK) == 0) {
            // as nvmet_clear_ctrl: a shutdown also clears CC and CSTS.RDY, so I/O stops with it
            cc = 0;
            csts = ControllerRegisters.CSTS_SHST_COMPLETE << ControllerRegisters.CSTS_SHST_SHIFT;
            state = ControllerState.SHUT_DOWN;
        } else if (shn == ControllerRegisters.CC_SHN_NONE && (old & ControllerRegisters.CC_SHN_MASK) != 0) {
            csts &= ~ControllerRegisters.CSTS_SHST_MASK;
        }
    }

    /** CC.EN and CSTS.RDY are both set: commands other than Fabrics ones may run (nvmet_check_ctrl_status). */
    public synchronized boolean ready() {
        return (cc & ControllerRegisters.CC_EN) != 0 && (csts & ControllerRegisters.CSTS_RDY) != 0;
    }

    // --- queues ---

    /** What {@link #attachQueue} did. */
    enum Attach { ATTACHED, CONTROLLER_DELETED, QID_IN_USE }

    /**
     * Binds {@code queue} to this controller as {@code qid} and installs it, in one step under the
     * controller's lock: a queue is never bound to a controller that does not own it, whether
     * another Connect for the same qid or the controller's deletion races it.
     */
    synchronized Attach attachQueue(NvmfQueue queue, int qid, int entries, boolean sqFlowControlDisabled) {
        if (qid < 0 || qid > MAX_IO_QUEUES) {
            throw new IllegalArgumentException("qid " + qid + " outside 0.." + MAX_IO_QUEUES);
        }
        if (state == ControllerState.DELETED) {
            return Attach.CONTROLLER_DELETED;
        }
        if (queues[qid] != null) {
            return Attach.QID_IN_USE;
        }
        queue.bind(this, qid, entries, sqFlowControlDisabled);
        queues[qid] = queue;
        // an I/O queue's Connect is traffic of a live host for this controller
        touch();
        return Attach.ATTACHED;
    }

    /** Takes back a queue whose transport could not install it (its CONNECT fails): the qid is free again. */
    synchronized void detachQueue(NvmfQueue queue) {
        if (queues[queue.qid()] == queue) {
            queues[queue.qid()] = null;
        }
        queue.unbind();
    }

    /** The network address of the host this controller's admin queue came from; null without one. */
    public synchronized String hostAddress() {
        NvmfQueue admin = queues[0];
        return admin == null ? null : admin.transport().hostAddress();
    }

    public synchronized boolean deleted() {
        return state == ControllerState.DELETED;
    }

    synchronized boolean hasQueue(int qid) {
        return qid <= MAX_IO_QUEUES && queues[qid] != null;
    }

    /** A queue's transport went away; the admin queue takes the controller with it. */
    void queueClosed(NvmfQueue queue) {
        boolean admin;
        synchronized (this) {
            if (queues[queue.qid()] == queue) {
                queues[queue.qid()] = null;
            }
            admin = queue.qid() == 0;
        }
        if (admin) {
            core.deleteController(this, "admin queue " + queue.transport().describe() + " closed");
        }
    }

    /** Disconnects every queue still open, I/O queues first. */
    void disconnectAll(String reason) {
        NvmfQueue[] open;
        Request[] aers;
        synchronized (this) {
            state = ControllerState.DELETED;
            open = Arrays.copyOf(queues, queues.length);
            Arrays.fill(queues, null);
            aers = parkedAers.toArray(Request[]::new);
            parkedAers.clear();
        }
        // Parked AERs hold transport resources (an RDMA request slot): complete them so the
        // transport gets them back, as nvmet_async_events_failall does, but as aborted by the
        // deletion of their queue: nothing failed inside the target
        for (Request aer : aers) {
            aer.queue().finish(aer, io.nvmfoffload.nvme.spec.NvmeStatus.ABORTED_SQ_DELETION.field(true), 0);
        }
        for (int qid = open.length - 1; qid >= 0; qid--) {
            if (open[qid] != null) {
                open[qid].transport().disconnect(reason);
            }
        }
    }

    // --- keep alive ---

    public synchronized int katoMillis() {
        return katoMillis;
    }

    synchronized void katoMillis(int millis) {
        this.katoMillis = millis;
    }

    /** Any command counts as keep-alive traffic (NVMe 1.4 traffic-based keep alive). */
    void touch() {
        lastActivityNanos = System.nanoTime();
    }

    boolean keepAliveExpired(long now) {
        int kato = katoMillis();
        return kato > 0 && now - lastActivityNanos > kato * 1_000_000L;
    }

    // --- features ---

    public int grantedIoQueues() {
        return MAX_IO_QUEUES;
    }

    synchronized int asyncEventConfig() {
        return asyncEventConfig;
    }

    synchronized void asyncEventConfig(int value) {
        asyncEventConfig = value;
    }

    synchronized boolean volatileWriteCache() {
        return volatileWriteCache;
    }

    synchronized void volatileWriteCache(boolean enabled) {
        volatileWriteCache = enabled;
    }

    // --- asynchronous events ---

    /** Event types and infos (NVMe base spec, Asynchronous Event Request completion dword 0). */
    static final int AEN_TYPE_ERROR = 0;
    static final int AEN_INFO_TRANSIENT_INTERNAL_ERROR = 0x04;
    static final int LOG_PAGE_ERROR_INFORMATION = 0x01;
    static final int AEN_TYPE_NOTICE = 2;
    static final int AEN_INFO_NS_ATTRIBUTE_CHANGED = 0x00;
    static final int AEN_INFO_DISCOVERY_LOG_CHANGED = 0xF0;

    static int aenResult(int type, int info, int logPage) {
        return type | info << 8 | logPage << 16;
    }

    /** Parks an AER, or completes it at once with a pending event. False: the limit is exceeded. */
    boolean parkAer(Request aer) {
        Integer event;
        synchronized (this) {
            if (state == ControllerState.DELETED) {
                // deleted while this AER was on its way: parked now, nothing would ever complete it
                event = null;
            } else if (pendingEvents.isEmpty()) {
                if (parkedAers.size() > AERL) {
                    return false;
                }
                parkedAers.add(aer);
                return true;
            } else {
                event = pendingEvents.poll();
            }
        }
        if (event == null) {
            aer.queue().finish(aer, io.nvmfoffload.nvme.spec.NvmeStatus.ABORTED_SQ_DELETION.field(true), 0);
        } else {
            aer.queue().finish(aer, 0, event);
        }
        return true;
    }

    /** Raises an event if the host enabled it: to a parked AER, else kept until one arrives. */
    void raise(int enableBit, int result) {
        Request aer;
        synchronized (this) {
            // Error events have no enable bit: the spec always reports them (enableBit -1).
            if ((asyncEventConfig & enableBit) == 0 && enableBit != -1 || state == ControllerState.DELETED) {
                return;
            }
            aer = parkedAers.poll();
            if (aer == null) {
                if (!pendingEvents.contains(result)) {
                    pendingEvents.add(result);
                }
                return;
            }
        }
        aer.queue().finish(aer, 0, result);
    }

    synchronized void namespaceChanged(int nsid) {
        if (changedOverflow) {
            return;
        }
        for (int i = 0; i < changedCount; i++) {
            if (changedNamespaces[i] == nsid) {
                return;
            }
        }
        if (changedCount == changedNamespaces.length) {
            changedOverflow = true;
        } else {
            changedNamespaces[changedCount++] = nsid;
        }
    }

    /** The Changed Namespace List log; reading it without RAE clears it. */
    synchronized int[] changedNamespaces(boolean retain) {
        int[] list = changedOverflow ? new int[] {0xFFFFFFFF} : Arrays.copyOf(changedNamespaces, changedCount);
        if (!retain) {
            changedCount = 0;
            changedOverflow = false;
        }
        return list;
    }

    @Override
    public String toString() {
        return "controller " + cntlid + " of " + subsystemNqn() + " for " + hostNqn;
    }
}
