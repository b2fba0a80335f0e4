package io.nvmfoffload.hostile.tcp;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples the target's VmRSS and thread count every 200 ms and keeps the peak of each, overall
 * and per phase of the test (the phase is whatever {@link #phase(String)} last named).
 */
final class RssSampler implements AutoCloseable {
    private final TargetProcess target;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("hostile-rss-sampler").factory());
    private final Map<String, long[]> peaks = new LinkedHashMap<>();
    private String phase = "start";
    private long peakKib;
    private long peakThreads;

    RssSampler(TargetProcess target) {
        this.target = target;
        timer.scheduleAtFixedRate(this::sample, 0, 200, TimeUnit.MILLISECONDS);
    }

    private void sample() {
        long rss = target.rssKib();
        long threads = target.threads();
        if (rss < 0) {
            return;
        }
        synchronized (this) {
            peakKib = Math.max(peakKib, rss);
            peakThreads = Math.max(peakThreads, threads);
            long[] p = peaks.computeIfAbsent(phase, k -> new long[2]);
            p[0] = Math.max(p[0], rss);
            p[1] = Math.max(p[1], threads);
        }
    }

    synchronized void phase(String name) {
        phase = name;
    }

    synchronized long peakKib() {
        return peakKib;
    }

    synchronized long peakThreads() {
        return peakThreads;
    }

    /** "phase: RSS MiB / threads" for every phase, in order. */
    synchronized String describe() {
        StringBuilder b = new StringBuilder();
        peaks.forEach((name, p) -> b.append(String.format("%s %.0f MiB / %d threads; ", name, p[0] / 1024.0, p[1])));
        return b.toString();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
