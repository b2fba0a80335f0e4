package io.nvmfoffload.softroce.bench;

import java.time.Duration;

/**
 * Where a benchmark is while it runs: step k of n, the time spent and an estimate of the time
 * left (from the mean step so far), printed before each measured step. Benchmarks under TCG run
 * for many minutes; an operator should see how many.
 */
public final class Progress {
    private final String stage;
    private final int total;
    private final long startNanos = System.nanoTime();
    private int done;

    public Progress(String stage, int totalSteps) {
        this.stage = stage;
        this.total = Math.max(1, totalSteps);
    }

    /** Announces the next step; call it before the step runs. */
    public void step(String what) {
        long elapsed = System.nanoTime() - startNanos;
        String left = done == 0 ? "?" : clock(elapsed / done * (total - done));
        done++;
        System.out.printf("[%s %d/%d, %s elapsed, ~%s left] %s%n", stage, done, total, clock(elapsed), left, what);
        System.out.flush();
    }

    static String clock(long nanos) {
        long s = Duration.ofNanos(nanos).toSeconds();
        return String.format("%d:%02d", s / 60, s % 60);
    }
}
