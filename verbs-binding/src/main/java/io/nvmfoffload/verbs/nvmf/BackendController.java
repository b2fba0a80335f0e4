package io.nvmfoffload.verbs.nvmf;

import java.util.List;

/**
 * A backend NVMe controller on an offload SRQ, serving front-end namespaces from its backend ones.
 * Closing it is {@code ibv_srq_remove_nvme_ctrl}: the namespaces still mapped to it are unmapped with
 * it, and closing it twice does nothing, as with every verbs object here.
 */
public interface BackendController extends AutoCloseable {
    /** An id unique within the device, for events and messages. */
    int id();

    NvmfSrq srq();

    BackendControllerAttributes attributes();

    /**
     * {@code ibv_map_nvmf_nsid}: serves front-end nsid {@code mapping.frontendNsid()} from this
     * controller. Fails with EEXIST if that fe_nsid is already mapped in the SRQ, ENOTSUP if the
     * device does not support the lba_data_size.
     */
    void mapNamespace(NamespaceMapping mapping);

    /** {@code ibv_unmap_nvmf_nsid}; fails with ENOENT if the fe_nsid is not mapped here. */
    void unmapNamespace(int frontendNsid);

    List<NamespaceMapping> namespaces();

    /** Counters of a mapped front-end namespace; ENOENT if {@code frontendNsid} is not mapped here. */
    OffloadNamespaceCounters counters(int frontendNsid);

    @Override
    void close();
}
