package io.nvmfoffload.verbs;

/**
 * A work request completed with an error status. Thrown only by the explicit checks
 * ({@link WorkCompletions#requireSuccess(int)}); polling itself never throws for a completion.
 */
public class WorkCompletionException extends RuntimeException {
    private final int status;
    private final long wrId;
    private final int vendorError;

    public WorkCompletionException(String message, int status, long wrId, int vendorError) {
        super(message);
        this.status = status;
        this.wrId = wrId;
        this.vendorError = vendorError;
    }

    /** The status, or {@code null} for a value this binding does not know (see {@link #statusValue()}). */
    public WcStatus status() {
        return WcStatus.of(status);
    }

    public int statusValue() {
        return status;
    }

    public long wrId() {
        return wrId;
    }

    public int vendorError() {
        return vendorError;
    }
}
