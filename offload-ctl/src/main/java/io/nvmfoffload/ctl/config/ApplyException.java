package io.nvmfoffload.ctl.config;

import java.util.List;

/**
 * A step of an apply failed; the steps before it were undone in reverse order. If an undo failed
 * too, the target may be partly changed and {@link #undoFailures()} says how.
 */
public final class ApplyException extends RuntimeException {
    private final transient List<String> undoFailures;

    ApplyException(int index, Step step, RuntimeException cause, int undone, List<String> undoFailures) {
        super("step " + (index + 1) + " (" + step + ") failed: " + cause.getMessage() + "; "
                + (undoFailures.isEmpty() ? "rolled back the " + undone + " step(s) before it, the target is as it was"
                : "rollback incomplete: " + String.join("; ", undoFailures)), cause);
        this.undoFailures = List.copyOf(undoFailures);
    }

    public List<String> undoFailures() {
        return undoFailures;
    }
}
