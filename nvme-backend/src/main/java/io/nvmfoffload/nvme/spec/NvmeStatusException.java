package io.nvmfoffload.nvme.spec;

/**
 * A command failed with an NVMe status. Thrown by stores and builders for the error cases only;
 * normal completions never go through an exception.
 */
public class NvmeStatusException extends RuntimeException {
    private final NvmeStatus status;
    private final boolean dnr;

    public NvmeStatusException(NvmeStatus status, String message) {
        this(status, true, message, null);
    }

    public NvmeStatusException(NvmeStatus status, String message, Throwable cause) {
        this(status, true, message, cause);
    }

    public NvmeStatusException(NvmeStatus status, boolean dnr, String message, Throwable cause) {
        super(status.description() + ": " + message, cause);
        this.status = status;
        this.dnr = dnr;
    }

    public NvmeStatus status() {
        return status;
    }

    public boolean dnr() {
        return dnr;
    }

    /** The 15-bit status field to post in a completion. */
    public int statusField() {
        return status.field(dnr);
    }
}
