package io.nvmfoffload.hostile.tcp;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where the CPU went during one measurement: the whole machine (/proc/stat), the target process
 * and its threads by role (/proc/PID/task), and this JVM with its measuring thread. The load and
 * the measured host share the machine's cores with the target, so a lower IOPS under load may be
 * the target's doing or only the cores being taken; this tells which.
 */
final class CpuBreakdown {
    /** USER_HZ: 100 on every Linux architecture the project builds for. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private final TargetProcess target;
    private final Set<Long> correctHostThreads;
    private final long wallStart;
    private final long machineBusyStart;
    private final long targetStart;
    private final long testStart;
    private final Map<Long, Thread> threadsStart;

    private record Thread(String name, long nanos) {
    }

    /** Cores the correct host's path used in the last {@link #describe}: its thread here and its queues' in the target. */
    private double correctHostPathCores;

    /**
     * @param correctHostThreads the target's threads that serve the measured host's queues (the
     *                           queue threads alive before any hostile connection was opened)
     */
    CpuBreakdown(TargetProcess target, Set<Long> correctHostThreads) {
        this.target = target;
        this.correctHostThreads = correctHostThreads;
        this.threadsStart = threads(target.pid());
        this.wallStart = System.nanoTime();
        this.machineBusyStart = machineBusyNanos();
        this.targetStart = target.cpuNanos();
        this.testStart = testJvmCpuNanos();
    }

    /** The target's queue threads alive now: before the load, the measured host's. */
    static Set<Long> queueThreads(TargetProcess target) {
        Set<Long> ids = new java.util.HashSet<>();
        threads(target.pid()).forEach((tid, t) -> {
            if (t.name().startsWith("nvmf-tcp-queue")) {
                ids.add(tid);
            }
        });
        return ids;
    }

    /** One line: cores used (CPU seconds per second) by each party since construction. */
    String describe(IopsMeter.Run run) {
        double wall = System.nanoTime() - wallStart;
        double machine = (machineBusyNanos() - machineBusyStart) / wall;
        double targetCores = (target.cpuNanos() - targetStart) / wall;
        double testCores = (testJvmCpuNanos() - testStart) / wall;
        double hostCores = run.hostCpuNanos() / wall;
        Map<String, Long> byRole = new TreeMap<>();
        long live = 0;
        for (Map.Entry<Long, Thread> e : threads(target.pid()).entrySet()) {
            Thread before = threadsStart.get(e.getKey());
            long used = e.getValue().nanos() - (before == null ? 0 : before.nanos());
            live += used;
            byRole.merge(role(e.getKey(), e.getValue().name()), used, Long::sum);
        }
        // threads that ended during the measurement (hostile queues the target closed) are in the
        // process total only
        long total = target.cpuNanos() - targetStart;
        byRole.merge("other queue threads", Math.max(0, total - live), Long::sum);
        correctHostPathCores = hostCores + byRole.getOrDefault("correct host's queues", 0L) / wall;
        StringBuilder roles = new StringBuilder();
        byRole.forEach((role, nanos) -> roles.append(String.format("%s %.2f, ", role, nanos / wall)));
        return String.format("machine %.2f of %d cores busy: target %.2f (%s), test JVM %.2f (correct host thread %.2f, "
                        + "load generator, GC and JIT %.2f), everything else %.2f", machine, Runtime.getRuntime().availableProcessors(),
                targetCores, roles.substring(0, Math.max(0, roles.length() - 2)), testCores, hostCores, testCores - hostCores,
                machine - targetCores - testCores);
    }

    /**
     * The correct host's IOPS per core of its path (host thread and target queue thread), as of the
     * last {@link #describe}: if it holds under load, the target serves that host as cheaply as
     * before and a lower IOPS comes from cores taken by others, not from the target's queue work.
     */
    double iopsPerCorrectHostCore(IopsMeter.Run run) {
        return run.iops() / Math.max(1e-9, correctHostPathCores);
    }

    private String role(long tid, String name) {
        if (correctHostThreads.contains(tid)) {
            return "correct host's queues";
        }
        if (name.startsWith("nvmf-tcp-queue")) {
            return "other queue threads";
        }
        if (name.startsWith("nvmf-tcp-accept")) {
            return "acceptor";
        }
        if (name.startsWith("nvmf-tcp-watchdog")) {
            return "watchdog";
        }
        if (name.startsWith("VM Thread")) {
            return "VM thread";
        }
        if (name.startsWith("G1") || name.startsWith("GC")) {
            return "GC";
        }
        if (name.contains("CompilerThre")) {
            return "JIT";
        }
        return "other";
    }

    /** The threads of a process: id, name (comm) and user plus system CPU time. */
    private static Map<Long, Thread> threads(long pid) {
        Map<Long, Thread> threads = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    threads.put(Long.parseLong(task.getFileName().toString()), new Thread(name, cpuNanos(stat)));
                } catch (IOException ended) {
                    // the thread ended while the directory was read
                }
            }
        } catch (IOException gone) {
            // the process ended
        }
        return threads;
    }

    /** utime plus stime of a /proc stat line, in nanoseconds. */
    static long cpuNanos(String stat) {
        // fields after the parenthesised name: state is field 3, utime 14, stime 15
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * NANOS_PER_TICK;
    }

    /** CPU time all cores spent neither idle nor waiting for I/O, from the first line of /proc/stat. */
    private static long machineBusyNanos() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                if (i != 4 && i != 5) {  // idle, iowait
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy * NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long testJvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
