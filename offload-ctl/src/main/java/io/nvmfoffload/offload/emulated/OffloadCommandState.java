package io.nvmfoffload.offload.emulated;

/**
 * The life of one offloaded command in the emulated engine, one staging slot each, named after
 * what the NIC is doing with it (in the manner of SPDK's RDMA request states).
 * {@link OffloadedCommand#transition} checks every move against {@link #canMoveTo}.
 *
 * <pre>
 * FREE -> [READING_HOST_DATA] -> [WAITING_FOR_BACKEND] -> AT_BACKEND -> RESPONDING -> FREE
 *                                                                      RESPONDING -> QUARANTINED -> FREE
 * </pre>
 * A command is answered (RESPONDING) from any earlier state when its backend is gone or failed;
 * a failed or unposted RDMA READ ends it without an answer (its QP is in error).
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
     * The backend failed (PCI error), timed out or was released with this command outstanding. The
     * host got a retryable status, but the device might still write the slot, so it stays out of
     * use until the backend's queues are destroyed (or the context closes).
     */
    QUARANTINED;

    /** Whether a command may go from this state to {@code next}. */
    boolean canMoveTo(OffloadCommandState next) {
        return switch (this) {
            case FREE -> next == READING_HOST_DATA || next == WAITING_FOR_BACKEND || next == AT_BACKEND || next == RESPONDING;
            case READING_HOST_DATA -> next == WAITING_FOR_BACKEND || next == AT_BACKEND || next == RESPONDING || next == FREE;
            case WAITING_FOR_BACKEND -> next == AT_BACKEND || next == RESPONDING;
            case AT_BACKEND -> next == RESPONDING;
            case RESPONDING -> next == FREE || next == QUARANTINED;
            case QUARANTINED -> next == FREE;
        };
    }
}
