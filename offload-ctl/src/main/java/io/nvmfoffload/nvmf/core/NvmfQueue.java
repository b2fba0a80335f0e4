package io.nvmfoffload.nvmf.core;

import io.nvmfoffload.nvme.spec.NvmeStatus;
import io.nvmfoffload.nvme.spec.NvmeStatusException;
import io.nvmfoffload.nvmf.Port;

/**
 * The core's side of one queue pair. A transport opens it when a host connects, feeds it requests
 * whose data is in place ({@link #execute}), and closes it when the connection goes. Until its
 * Fabrics CONNECT it belongs to no controller and accepts nothing else.
 */
public final class NvmfQueue {
    private static final System.Logger LOG = System.getLogger(NvmfQueue.class.getName());

    private final TargetCore core;
    private final QueueTransport transport;
    private final Port port;
    private volatile int qid = -1;
    private volatile int entries;
    private volatile Controller controller;
    private volatile boolean sqFlowControlDisabled;
    private int sqhd;

    NvmfQueue(TargetCore core, Port port, QueueTransport transport) {
        this.core = core;
        this.port = port;
        this.transport = transport;
    }

    /** The queue id from CONNECT; -1 before it. */
    public int qid() {
        return qid;
    }

    /** Queue entries granted at CONNECT (SQSIZE + 1); the transport sizes its resources from it. */
    public int entries() {
        return entries;
    }

    public Controller controller() {
        return controller;
    }

    public Port port() {
        return port;
    }

    public QueueTransport transport() {
        return transport;
    }

    public TargetCore core() {
        return core;
    }

    void bind(Controller controller, int qid, int entries, boolean sqFlowControlDisabled) {
        this.controller = controller;
        this.qid = qid;
        this.entries = entries;
        this.sqFlowControlDisabled = sqFlowControlDisabled;
    }

    /** Back to not connected: its CONNECT failed after it was bound (the transport could not install it). */
    void unbind() {
        this.controller = null;
        this.qid = -1;
    }

    /**
     * The host disabled SQ flow control at Connect (CATTR bit 2): it ignores SQHD, and a transport
     * may end a successful read with its data alone (NVMe/TCP: C2HData with SUCCESS, no
     * response capsule), as nvmet does.
     */
    public boolean sqFlowControlDisabled() {
        return sqFlowControlDisabled;
    }

    /**
     * Runs a command whose host-to-controller data (if any) is in {@link Request#data()}. The core
     * calls {@link QueueTransport#complete} when done: before this returns, or later for an AER.
     */
    public void execute(Request request) {
        request.queue(this);
        request.transition(RequestState.EXECUTING);
        advanceHead();
        try {
            checkFlags(request.sqe());
            if (request.sqe().opcode() == 0x7F) {
                core.fabrics().execute(request);
                return;
            }
            Controller ctrl = controller;
            if (ctrl == null) {
                throw new NvmeStatusException(NvmeStatus.COMMAND_SEQUENCE_ERROR, "a command before the queue's Fabrics CONNECT");
            }
            if (ctrl.deleted()) {
                // the controller went (keep-alive, its admin queue, its subsystem): this queue serves nothing more
                finish(request, NvmeStatus.ABORTED_SQ_DELETION.field(true), 0);
                transport.disconnect(ctrl + " was deleted");
                return;
            }
            ctrl.touch();
            if (!ctrl.ready() && (qid != 0 || !ctrl.isDiscovery())) {
                // nvmet_check_ctrl_status: admin and I/O commands need CC.EN = 1 and CSTS.RDY = 1
                throw new NvmeStatusException(NvmeStatus.COMMAND_SEQUENCE_ERROR,
                        (qid == 0 ? "an admin command" : "I/O") + " while the controller is not enabled");
            }
            if (qid == 0) {
                core.admin().execute(request, ctrl);
            } else {
                core.io().execute(request, ctrl);
            }
        } catch (NvmeStatusException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0} on {1}: {2}", request, transport.describe(), e.getMessage());
            finish(request, e.statusField(), 0);
        } catch (RuntimeException e) {
            // a bug of ours, not the host's: say so once per burst, without letting a host flood the log
            core.failures().log(System.Logger.Level.WARNING, "{0} on {1} failed inside the target: {2}",
                    request, transport.describe(), String.valueOf(e));
            finish(request, NvmeStatus.INTERNAL_ERROR.field(true), 0);
        }
    }

    /**
     * As nvmet_req_init: fused commands are not supported (a fused pair must never run half), and
     * over fabrics PSDT must say SGL with a contiguous metadata buffer (01b).
     */
    private static void checkFlags(io.nvmfoffload.nvme.spec.SubmissionQueueEntry sqe) {
        if (sqe.fuse() != 0) {
            throw new NvmeStatusException(NvmeStatus.INVALID_FIELD_IN_COMMAND, "fused commands are not supported (FUSE " + sqe.fuse() + ")");
        }
        if (sqe.psdt() != io.nvmfoffload.nvme.spec.SubmissionQueueEntry.PSDT_SGL_MPTR_CONTIGUOUS) {
            throw new NvmeStatusException(NvmeStatus.INVALID_FIELD_IN_COMMAND,
                    "PSDT " + sqe.psdt() + ": over fabrics a command's data pointer is an SGL (PSDT 01b)");
        }
    }

    private synchronized int advanceHead() {
        int size = entries == 0 ? Controller.ADMIN_QUEUE_ENTRIES : entries;
        sqhd = (sqhd + 1) % size;
        return sqhd;
    }

    private synchronized int head() {
        return sqhd;
    }

    /**
     * The SQ head pointer the next completion reports: the commands taken so far, modulo the
     * queue's entries. An offload engine that answers this queue's commands itself starts from it.
     */
    public int sqHead() {
        return head();
    }

    /** Completes an executing request with a status field (no phase bit) and result dword 0. */
    public void finish(Request request, int status, int dw0) {
        finish(request, status, dw0 & 0xFFFF_FFFFL);
    }

    /** Completes with a 64-bit result in dwords 0 and 1 (Property Get of CAP). */
    public void finish(Request request, int status, long result) {
        request.cqe().post((int) result, (int) (result >>> 32), head(), Math.max(qid, 0), request.sqe().cid(), status, false);
        request.transition(RequestState.EXECUTED);
        transport.complete(request);
    }

    /**
     * A transport refuses a command before it runs (bad SGL, data too long): the response is filled
     * and the request moves to COMPLETING; the transport sends it.
     */
    public void reject(Request request, NvmeStatus status) {
        reject(request, status, true);
    }

    /** As {@link #reject(Request, NvmeStatus)}, with DNR clear when the host may retry (a transport error). */
    public void reject(Request request, NvmeStatus status, boolean doNotRetry) {
        request.queue(this);
        advanceHead();
        request.cqe().post(0, 0, head(), Math.max(qid, 0), request.sqe().cid(), status.field(doNotRetry), false);
        request.transition(RequestState.COMPLETING);
    }

    /** The transport's connection is gone. */
    public void closed() {
        Controller ctrl = controller;
        if (ctrl != null) {
            ctrl.queueClosed(this);
        }
    }

    @Override
    public String toString() {
        return "queue " + qid + " on " + transport.describe();
    }
}
