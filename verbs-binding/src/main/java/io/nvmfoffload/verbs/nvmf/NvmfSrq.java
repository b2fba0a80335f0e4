package io.nvmfoffload.verbs.nvmf;

import io.nvmfoffload.verbs.SharedReceiveQueue;

import java.util.List;

/**
 * An NVMf offload context: the offload SRQ of one (port, subsystem), its staging buffer and its
 * backend controllers. The software creates the I/O queue QPs of the subsystem on
 * {@link #receiveQueue()}, posts receive buffers to it (the vendor's nvmet-rdma posts its
 * {@code ofl_srq_cmds} there) and switches each QP to offload with {@link NvmfOffload#enableOffload}
 * after its CONNECT; capsules the device does not execute (Fabrics, unmapped namespaces,
 * unsupported opcodes, oversize I/O) arrive as ordinary receives on this SRQ for the software target.
 */
public interface NvmfSrq extends AutoCloseable {
    NvmfSrqAttributes attributes();

    /**
     * The verbs SRQ itself, {@link NvmfSrqAttributes#srqMaxWr()} receives deep: queue pairs are
     * created on it, and the software posts and reposts its receive buffers to it.
     */
    SharedReceiveQueue receiveQueue();

    /** Creates a backend NVMe controller the device will drive ({@code ibv_srq_create_nvme_ctrl}). */
    BackendController createBackendController(BackendControllerAttributes attributes);

    /** The controllers created on this SRQ and not closed yet. */
    List<BackendController> backendControllers();

    /** Counters of this offload context, as the vendor stack exposes them. */
    OffloadContextCounters counters();

    /** Destroys the SRQ; its backend controllers must be closed first. */
    @Override
    void close();
}
