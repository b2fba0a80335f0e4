package io.nvmfoffload.softroce.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs external commands (nvme-cli, fio, perftest, qemu) with a timeout, capturing both streams.
 * A command that outlives its timeout is killed with its children and reported with exit code 124,
 * as coreutils' timeout does.
 */
public final class Commands {
    public static final int TIMED_OUT = 124;

    private Commands() {}

    public static CommandResult run(Duration timeout, String... command) {
        return run(timeout, List.of(command), null);
    }

    public static CommandResult run(Duration timeout, List<String> command) {
        return run(timeout, command, null);
    }

    /** A bash script line, for pipelines and redirections. */
    public static CommandResult bash(Duration timeout, String script) {
        return run(timeout, List.of("bash", "-c", script), null);
    }

    /**
     * Runs {@code command}; when {@code liveOutput} is given, each stdout line is also handed to it as it
     * arrives (the test bed streams the guest's output this way so a long run shows progress).
     */
    public static CommandResult run(Duration timeout, List<String> command, Consumer<String> liveOutput) {
        long start = System.nanoTime();
        Process process;
        try {
            process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            return new CommandResult(List.copyOf(command), 127, "", "cannot start: " + e.getMessage(),
                    Duration.ofNanos(System.nanoTime() - start));
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(process.getInputStream(), liveOutput));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream(), null));
        int exit;
        try {
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                exit = process.exitValue();
            } else {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
                exit = TIMED_OUT;
            }
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            exit = TIMED_OUT;
        }
        String stderr = err.join();
        if (exit == TIMED_OUT) {
            stderr += "\n(killed after the " + timeout.toSeconds() + " s timeout)";
        }
        return new CommandResult(List.copyOf(command), exit, out.join(), stderr, Duration.ofNanos(System.nanoTime() - start));
    }

    /** Starts a long-running command (a server such as rping -s) whose output is collected until it is stopped. */
    public static Background start(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(process.getInputStream(), null));
            return new Background(List.of(command), process, out, System.nanoTime());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start '" + String.join(" ", command) + "'", e);
        }
    }

    private static String drain(InputStream in, Consumer<String> liveOutput) {
        StringBuilder all = new StringBuilder();
        byte[] buf = new byte[8192];
        StringBuilder line = new StringBuilder();
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                String chunk = new String(buf, 0, n, StandardCharsets.UTF_8);
                all.append(chunk);
                if (liveOutput != null) {
                    for (char c : chunk.toCharArray()) {
                        if (c == '\n') {
                            liveOutput.accept(line.toString());
                            line.setLength(0);
                        } else {
                            line.append(c);
                        }
                    }
                }
            }
        } catch (IOException e) {
            all.append("\n(output lost: ").append(e.getMessage()).append(')');
        }
        if (liveOutput != null && !line.isEmpty()) {
            liveOutput.accept(line.toString());
        }
        return all.toString();
    }

    /** A command running in the background; {@link #stop} ends it and returns what it printed. */
    public record Background(List<String> command, Process process, CompletableFuture<String> output, long startNanos)
            implements AutoCloseable {

        /** Waits up to {@code timeout} for the command to end by itself, then kills it. */
        public CommandResult awaitOrStop(Duration timeout) {
            int exit;
            try {
                if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    exit = process.exitValue();
                } else {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly().waitFor();
                    exit = TIMED_OUT;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                exit = TIMED_OUT;
            }
            return new CommandResult(command, exit, output.join(), "", Duration.ofNanos(System.nanoTime() - startNanos));
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
    }

    /** Splits nothing: a helper to build argument lists without varargs noise. */
    public static List<String> args(Object... parts) {
        List<String> list = new ArrayList<>(parts.length);
        for (Object part : parts) {
            list.add(String.valueOf(part));
        }
        return list;
    }
}
