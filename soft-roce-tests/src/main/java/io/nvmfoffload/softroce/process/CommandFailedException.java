package io.nvmfoffload.softroce.process;

/** An external command exited non-zero or timed out; the message carries its command line and output. */
public final class CommandFailedException extends RuntimeException {
    private final transient CommandResult result;

    public CommandFailedException(CommandResult result) {
        super(result.describe());
        this.result = result;
    }

    public CommandResult result() {
        return result;
    }
}
