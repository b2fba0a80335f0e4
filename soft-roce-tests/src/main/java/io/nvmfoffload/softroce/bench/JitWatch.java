package io.nvmfoffload.softroce.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * Tells when the JIT has compiled nothing for {@value #IDLE_MS} ms, so that a bench warms up until
 * its measured code is compiled: in the 2-CPU guest a compiler thread at work takes a CPU from the
 * measured threads.
 */
final class JitWatch {
    static final long IDLE_MS = 3000;

    private final CompilationMXBean bean = ManagementFactory.getCompilationMXBean();
    private long lastTotal = -1;
    private long lastChange = System.nanoTime();

    boolean idle() {
        if (bean == null || !bean.isCompilationTimeMonitoringSupported()) {
            return true;
        }
        long total = bean.getTotalCompilationTime();
        if (total != lastTotal) {
            lastTotal = total;
            lastChange = System.nanoTime();
        }
        return System.nanoTime() - lastChange > IDLE_MS * 1_000_000;
    }

    long totalMs() {
        return bean == null ? -1 : bean.getTotalCompilationTime();
    }
}
