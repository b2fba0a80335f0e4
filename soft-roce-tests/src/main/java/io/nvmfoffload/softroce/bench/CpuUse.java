package io.nvmfoffload.softroce.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a benchmark run's CPU went: the whole guest's (from {@code /proc/stat}) and this JVM's, which
 * hosts our target in the benches. Under TCG the guest's CPUs are the scarce resource that the host
 * side, rxe and the target share; a target that spins or costs more per I/O shows here first.
 */
record CpuUse(long busyJiffies, long totalJiffies, long processCpuNanos, java.util.Map<String, Long> threadCpuNanos) {

    static CpuUse now() {
        String cpu;
        try {
            cpu = Files.readAllLines(Path.of("/proc/stat")).getFirst();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/stat: " + e.getMessage(), e);
        }
        // "cpu  user nice system idle iowait irq softirq steal guest guest_nice"
        String[] f = cpu.trim().split("\\s+");
        long total = 0;
        long idle = 0;
        for (int i = 1; i < Math.min(f.length, 9); i++) {
            long v = Long.parseLong(f[i]);
            total += v;
            if (i == 4 || i == 5) {
                idle += v;
            }
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var threads = ManagementFactory.getThreadMXBean();
        java.util.Map<String, Long> byThread = new java.util.HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            var info = threads.getThreadInfo(id);
            long t = threads.getThreadCpuTime(id);
            if (info != null && t > 0) {
                byThread.merge(info.getThreadName(), t, Long::sum);
            }
        }
        return new CpuUse(total - idle, total, os.getProcessCpuTime(), byThread);
    }

    /** The guest's CPUs busy between {@code start} and now, as a fraction of all of them (0..1). */
    Delta since(CpuUse start) {
        long total = totalJiffies - start.totalJiffies;
        double busy = total == 0 ? 0 : (double) (busyJiffies - start.busyJiffies) / total;
        // the JVM's busiest threads over the window (the JIT's and GC's included), for a look at where it went
        StringBuilder top = new StringBuilder();
        threadCpuNanos.entrySet().stream()
                .map(e -> java.util.Map.entry(e.getKey(), e.getValue() - start.threadCpuNanos.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed()).limit(4)
                .forEach(e -> top.append(top.isEmpty() ? "" : ", ").append(e.getKey()).append(' ')
                        .append(String.format("%.2f s", e.getValue() / 1e9)));
        return new Delta(busy, (processCpuNanos - start.processCpuNanos) / 1e9, top.toString());
    }

    /**
     * @param guestBusy fraction of all guest CPUs busy; @param jvmCpuSeconds CPU seconds this JVM used;
     * @param busiestThreads this JVM's busiest threads and their CPU seconds
     */
    record Delta(double guestBusy, double jvmCpuSeconds, String busiestThreads) {}
}
