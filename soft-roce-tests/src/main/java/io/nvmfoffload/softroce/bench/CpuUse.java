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
record CpuUse(long busyJiffies, long totalJiffies, long[] cpuBusyJiffies, long[] cpuTotalJiffies, long processCpuNanos,
              java.util.Map<String, Long> threadCpuNanos) {

    static CpuUse now() {
        java.util.List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/stat"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/stat: " + e.getMessage(), e);
        }
        long[] all = busyAndTotal(lines.getFirst());
        java.util.List<String> perCpu = lines.stream().skip(1).takeWhile(l -> l.startsWith("cpu")).toList();
        long[] cpuBusy = new long[perCpu.size()];
        long[] cpuTotal = new long[perCpu.size()];
        for (int i = 0; i < perCpu.size(); i++) {
            long[] bt = busyAndTotal(perCpu.get(i));
            cpuBusy[i] = bt[0];
            cpuTotal[i] = bt[1];
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var threads = ManagementFactory.getThreadMXBean();
        java.util.Map<String, Long> byThread = new java.util.HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            var info = threads.getThreadInfo(id);
            long t = threads.getThreadCpuTime(id);
            if (info != null && t > 0) {
                // by name and id: OffloadBench's two targets each have an "nvmf-rdma-poll-1"
                byThread.put(info.getThreadName() + " #" + id, t);
            }
        }
        return new CpuUse(all[0], all[1], cpuBusy, cpuTotal, os.getProcessCpuTime(), byThread);
    }

    /** {busy, total} jiffies of a /proc/stat "cpu" line: "cpuN user nice system idle iowait irq softirq steal ...". */
    private static long[] busyAndTotal(String line) {
        String[] f = line.trim().split("\\s+");
        long total = 0;
        long idle = 0;
        for (int i = 1; i < Math.min(f.length, 9); i++) {
            long v = Long.parseLong(f[i]);
            total += v;
            if (i == 4 || i == 5) {
                idle += v;
            }
        }
        return new long[] {total - idle, total};
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
        // one CPU near 100 % while the others idle is a serial bottleneck (fio's thread and its interrupts, say)
        double busiestCpu = 0;
        for (int i = 0; i < Math.min(cpuBusyJiffies.length, start.cpuBusyJiffies.length); i++) {
            long t = cpuTotalJiffies[i] - start.cpuTotalJiffies[i];
            if (t > 0) {
                busiestCpu = Math.max(busiestCpu, (double) (cpuBusyJiffies[i] - start.cpuBusyJiffies[i]) / t);
            }
        }
        return new Delta(busy, busiestCpu, (processCpuNanos - start.processCpuNanos) / 1e9, top.toString());
    }

    /**
     * @param guestBusy fraction of all guest CPUs busy; @param busiestCpu the busiest guest CPU's busy fraction;
     * @param jvmCpuSeconds CPU seconds this JVM used; @param busiestThreads this JVM's busiest threads and their CPU seconds
     */
    record Delta(double guestBusy, double busiestCpu, double jvmCpuSeconds, String busiestThreads) {}
}
