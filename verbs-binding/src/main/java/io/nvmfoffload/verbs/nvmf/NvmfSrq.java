package io.nvmfoffload.verbs.nvmf;

import java.util.List;

/**
 * An NVMf offload context: the offload SRQ of one (port, subsystem), its staging buffer and its
 * backend controllers. I/O queue QPs are attached to it by {@link NvmfOffload#enableOffload}, as the
 * vendor kernel does after CONNECT; capsules the device does not execute (admin, Fabrics, unmapped
 * namespaces, unsupported opcodes, oversize I/O) stay ordinary receives for the software target.
 */
public interface NvmfSrq extends AutoCloseable {
    NvmfSrqAttributes attributes();

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
