package io.nvmfoffload.verbs.nvmf;

/** The offload's asynchronous events. */
public enum NvmfEventType {
    /** The backend controller hit a PCI error: release it without destroying its queues; do not recreate it. */
    NVME_PCI_ERR,
    /** A backend command timed out: release the controller, destroy its queues, recreate it. */
    NVME_TIMEOUT,
    /**
     * QP error on an offload SRQ: an RDMA operation the device made for an offloaded queue failed
     * (other than by a flush), so the QP is in ERROR; the queue must be disconnected.
     */
    QP_FATAL,
    /** The QP completed its last offloaded NVMe command; the queue may now be freed. */
    QP_LAST_NVME_CQE_REACHED
}
