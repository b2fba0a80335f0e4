package io.nvmfoffload.verbs.nvmf;

import io.nvmfoffload.verbs.SharedReceiveQueue;

import java.util.List;

/**
 * An NVMf offload SRQ. Capsules the device does not offload (admin, Fabrics, unmapped namespaces)
 * arrive as ordinary receives on {@link #receiveQueue()} for the software target.
 */
public interface NvmfSrq extends AutoCloseable {
    /** The SRQ as a verbs object, for posting receives and creating QPs on it. */
    SharedReceiveQueue receiveQueue();

    NvmfSrqAttributes attributes();

    /** Creates a backend NVMe controller the device will drive ({@code ibv_srq_create_nvme_ctrl}). */
    BackendController createBackendController(BackendControllerAttributes attributes);

    /** The controllers created on this SRQ and not closed yet. */
    List<BackendController> backendControllers();

    /** Destroys the SRQ; its backend controllers must be closed first. */
    @Override
    void close();
}
