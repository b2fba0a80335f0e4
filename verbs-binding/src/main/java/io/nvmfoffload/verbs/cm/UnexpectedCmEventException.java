package io.nvmfoffload.verbs.cm;

/** A different rdma_cm event arrived than the one waited for, or none arrived in time. */
public class UnexpectedCmEventException extends RuntimeException {
    private final transient CmEvent event;

    public UnexpectedCmEventException(String message, CmEvent event) {
        super(message);
        this.event = event;
    }

    /** The event that came instead, or null after a timeout. */
    public CmEvent event() {
        return event;
    }
}
