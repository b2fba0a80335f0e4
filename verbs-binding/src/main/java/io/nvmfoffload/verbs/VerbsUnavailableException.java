package io.nvmfoffload.verbs;

/** libibverbs or librdmacm cannot be used here; the message says why and what to install. */
public class VerbsUnavailableException extends RuntimeException {
    public VerbsUnavailableException(String reason) {
        super(reason);
    }
}
