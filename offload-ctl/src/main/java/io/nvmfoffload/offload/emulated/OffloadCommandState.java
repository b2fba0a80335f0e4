package io.nvmfoffload.offload.emulated;

/**
 * The life of one offloaded command in the emulated engine, one staging slot each, named after
 * what the NIC is doing with it (in the manner of SPDK's RDMA request states).
 */
enum OffloadCommandState {
    /** The slot holds no command. */
    FREE,
    /** RDMA READ of the host's write data into the staging slot is in flight. */
    READING_HOST_DATA,
    /** Data is staged; the backend SQ is full, so the command waits for a free entry. */
    WAITING_FOR_BACKEND,
    /** The SQE is in the backend SQ and the doorbell rung; waiting for its CQE. */
    AT_BACKEND,
    /** RDMA WRITE of read data (if any) and the response SEND are in flight. */
    RESPONDING,
    /**
     * The backend failed (PCI error) or timed out with this command outstanding. The host got a
     * retryable status, but the device might still write the slot, so it stays out of use until
     * the backend controller is released.
     */
    QUARANTINED
}
