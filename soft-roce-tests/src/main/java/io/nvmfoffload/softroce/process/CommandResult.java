package io.nvmfoffload.softroce.process;

import java.time.Duration;
import java.util.List;

/** What a finished external command left behind. */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr, Duration elapsed) {

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** The command line as a person would type it, for messages. */
    public String commandLine() {
        return String.join(" ", command);
    }

    /** Returns this result when the command succeeded, else fails with everything needed to see why. */
    public CommandResult orThrow() {
        if (!succeeded()) {
            throw new CommandFailedException(this);
        }
        return this;
    }

    public String describe() {
        return "'" + commandLine() + "' exited " + exitCode + " after " + elapsed.toMillis() + " ms"
                + (stderr.isBlank() ? "" : "\nstderr:\n" + tail(stderr))
                + (stdout.isBlank() ? "" : "\nstdout:\n" + tail(stdout));
    }

    private static String tail(String text) {
        String[] lines = text.strip().split("\n");
        int from = Math.max(0, lines.length - 40);
        return String.join("\n", List.of(lines).subList(from, lines.length));
    }
}
