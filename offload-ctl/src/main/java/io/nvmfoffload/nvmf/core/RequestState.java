package io.nvmfoffload.nvmf.core;

/**
 * The lifecycle of one command, as SPDK's RDMA transport names it. Transports move a request
 * through these states; {@link Request#transition} checks each move and can trace it.
 *
 * <pre>
 * FREE -> NEW -> NEED_BUFFER -> [TRANSFERRING_HOST_TO_CONTROLLER] -> READY_TO_EXECUTE -> EXECUTING
 *      -> EXECUTED -> [TRANSFERRING_CONTROLLER_TO_HOST] -> COMPLETING -> COMPLETED -> FREE
 * </pre>
 */
public enum RequestState {
    FREE, NEW, NEED_BUFFER, TRANSFERRING_HOST_TO_CONTROLLER, READY_TO_EXECUTE, EXECUTING, EXECUTED,
    TRANSFERRING_CONTROLLER_TO_HOST, COMPLETING, COMPLETED;

    /** Whether a request may go from this state to {@code next}. */
    public boolean canMoveTo(RequestState next) {
        return switch (this) {
            case FREE -> next == NEW;
            case NEW -> next == NEED_BUFFER || next == READY_TO_EXECUTE || next == COMPLETING;
            case NEED_BUFFER -> next == TRANSFERRING_HOST_TO_CONTROLLER || next == READY_TO_EXECUTE || next == COMPLETING;
            case TRANSFERRING_HOST_TO_CONTROLLER -> next == READY_TO_EXECUTE || next == COMPLETING;
            case READY_TO_EXECUTE -> next == EXECUTING;
            case EXECUTING -> next == EXECUTED;
            case EXECUTED -> next == TRANSFERRING_CONTROLLER_TO_HOST || next == COMPLETING;
            case TRANSFERRING_CONTROLLER_TO_HOST -> next == COMPLETING;
            case COMPLETING -> next == COMPLETED;
            case COMPLETED -> next == FREE;
        };
    }
}
