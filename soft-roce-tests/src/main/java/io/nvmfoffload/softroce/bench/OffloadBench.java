package io.nvmfoffload.softroce.bench;

import io.nvmfoffload.nvme.store.RamNamespaceStore;
import io.nvmfoffload.offload.DeviceProfile;
import io.nvmfoffload.offload.emulated.EmulatedNvmfOffloadProvider;
import io.nvmfoffload.softroce.bed.Rxe;
import io.nvmfoffload.softroce.bench.report.BenchFigures;
import io.nvmfoffload.softroce.bench.report.BenchGoals;
import io.nvmfoffload.softroce.fio.FioResult;
import io.nvmfoffload.softroce.nvmet.KernelNvmeHost;
import io.nvmfoffload.nvmf.Port;
import io.nvmfoffload.nvmf.SubsystemOffload;
import io.nvmfoffload.nvmf.Target;
import io.nvmfoffload.nvmf.TransportType;
import io.nvmfoffload.nvmf.server.TargetServer;
import io.nvmfoffload.verbs.nvmf.OffloadNamespaceCounters;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The same subsystem, the same RAM namespace, the same kernel host and fio workloads, served with
 * the offload on (emulated provider on rxe0) and off (software path). Prints IOPS and the on/off
 * ratio per workload (a parity goal, {@link BenchGoals#OFFLOAD_PARITY}), and the engine's counters
 * as proof of which path ran. Run inside the soft-RoCE guest (bench/offload-bench.sh). TCG figures
 * are relative only.
 *
 * <p>Both targets serve at once (two ports) so that neither is measured while the JIT compiles
 * it: under TCG the optimizing compiler takes most of a minute to reach the data path. Each path is
 * warmed with reads and writes first; then every workload runs on, off, off, on, ... (ABBA,
 * BENCH_ROUNDS runs per path), and the means of each path's runs are compared, with every round's ratio
 * printed as the spread.
 */
public final class OffloadBench {
    private static final String NQN = "nqn.2026-11.io.nvmf-offload:bench-offload";
    /** The side-by-side phase: one more subsystem per target, each with a store of its own (see {@link #sideBySide}). */
    private static final String PAIR_ON = "nqn.2026-11.io.nvmf-offload:bench-pair-on";
    private static final String PAIR_OFF = "nqn.2026-11.io.nvmf-offload:bench-pair-off";
    private static final long PAIR_BLOCKS = (64L << 20) / 4096;
    private static final int SERVICE_ON = 4450;
    private static final int SERVICE_OFF = 4451;
    private static final String ON = "offload on (emulated)";
    private static final String OFF = "offload off";
    /** Runs per path and workload (BENCH_ROUNDS, default 4), paired into rounds: single runs under TCG vary widely. */
    private static final int ROUNDS = Integer.parseInt(System.getenv().getOrDefault("BENCH_ROUNDS", "4"));

    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(System.getenv().getOrDefault("BENCH_SECONDS", "15"));
        List<TargetBench.Workload> workloads = List.of(
                new TargetBench.Workload("4k randread QD32", "randread", "4k", 32),
                new TargetBench.Workload("4k randwrite QD32", "randwrite", "4k", 32),
                new TargetBench.Workload("4k randread QD1", "randread", "4k", 1),
                new TargetBench.Workload("128k seqread QD8", "read", "128k", 8));
        List<TargetBench.Workload> warmup = workloads.subList(0, 2);
        // BENCH_ONLY="4k randread QD32" measures one workload (after the same warm-up), e.g. under a profiler.
        String only = System.getenv("BENCH_ONLY");
        if (only != null) {
            workloads = workloads.stream().filter(w -> w.name().equals(only)).toList();
            if (workloads.isEmpty()) {
                throw new IllegalArgumentException("BENCH_ONLY=" + only + " names no workload; the workloads are 4k randread QD32, "
                        + "4k randwrite QD32, 4k randread QD1, 128k seqread QD8");
            }
        }
        KernelNvmeHost.loadModules();
        RamNamespaceStore store = RamNamespaceStore.create("bench-offload", 4096, (256L << 20) / 4096);
        List<TargetBench.Row> rows = new ArrayList<>();
        List<TargetBench.Row[]> pairs = new ArrayList<>();
        RamNamespaceStore pairOn = RamNamespaceStore.create("bench-pair-on", 4096, PAIR_BLOCKS);
        RamNamespaceStore pairOff = RamNamespaceStore.create("bench-pair-off", 4096, PAIR_BLOCKS);
        Target on = target(store, true, SERVICE_ON);
        Target off = target(store, false, SERVICE_OFF);
        addPairSubsystem(on, PAIR_ON, pairOn, true);
        addPairSubsystem(off, PAIR_OFF, pairOff, false);
        TargetServer onServer = new TargetServer(on).offloadProvider(new EmulatedNvmfOffloadProvider(DeviceProfile.connectX5Class())).start();
        TargetServer offServer = new TargetServer(off).start();
        Progress progress = new Progress("offload bench", 2 * warmup.size() + 3 * ROUNDS * workloads.size());
        String engineCounters;
        try {
            // Twice a measured run: a shorter warm-up leaves the second round faster than the first.
            TargetBench.measure(ON + " warm-up", "rdma", NQN, SERVICE_ON, warmup, 2 * seconds, progress);
            TargetBench.measure(OFF + " warm-up", "rdma", NQN, SERVICE_OFF, warmup, 2 * seconds, progress);
            for (TargetBench.Workload w : workloads) {
                for (int i = 0; i < 2 * ROUNDS; i++) {
                    boolean isOn = i % 4 == 0 || i % 4 == 3;  // on, off, off, on, ...
                    rows.addAll(TargetBench.measure(isOn ? ON : OFF, "rdma", NQN, isOn ? SERVICE_ON : SERVICE_OFF, List.of(w), seconds,
                            progress));
                }
            }
            for (TargetBench.Workload w : workloads) {
                for (int i = 0; i < ROUNDS; i++) {
                    progress.step(String.format("side by side, %s (%d s)", w.name(), seconds));
                    pairs.add(sideBySide(w, seconds));
                }
            }
            OffloadNamespaceCounters c = onServer.offloads().counters(1, NQN, 1);
            engineCounters = String.format("offload on: engine counters %s; software reads %d writes %d. Offload off: software reads %d "
                    + "writes %d", c, on.subsystem(NQN).namespace(1).counters().readCommands.sum(),
                    on.subsystem(NQN).namespace(1).counters().writeCommands.sum(),
                    off.subsystem(NQN).namespace(1).counters().readCommands.sum(),
                    off.subsystem(NQN).namespace(1).counters().writeCommands.sum());
            System.out.println(engineCounters);
        } finally {
            stop(on, onServer);
            stop(off, offServer);
        }
        store.close();
        BenchFigures figures = new BenchFigures("offload", "One subsystem with the NVMf offload on (emulated provider on rxe0) and off")
                .chart("offload-abba", "Offload on / off, the same subsystem (IOPS, means of the ABBA runs)", BenchFigures.ChartKind.BARS,
                        "workload", "IOPS")
                .chart("offload-side-by-side", "Offload on / off at the same moment, two subsystems (IOPS, means)",
                        BenchFigures.ChartKind.BARS, "workload", "IOPS")
                .note("The offload is the emulated provider's engine (a software model of the NIC, moving real bytes with RDMA "
                        + "on rxe0), not hardware. " + engineCounters);
        report(rows, workloads, figures);
        reportSideBySide(pairs, workloads, figures);
        figures.writeIfRequested();
    }

    private static void addPairSubsystem(Target target, String nqn, RamNamespaceStore store, boolean offload) {
        target.addSubsystem(nqn, offload ? "BENCHPAIRON01" : "BENCHPAIROFF1", "nvmf-offload offload bench pair", true);
        target.addNamespace(nqn, 1, store);
        if (offload) {
            target.setOffload(nqn, SubsystemOffload.defaults());
        }
        target.link(1, nqn);
    }

    /**
     * Both paths at the same moment: the kernel host connects to the offloaded pair subsystem and
     * to the software one and runs the same fio job on both at once, so whatever the shared host
     * does to the guest during the run it does to both. The two subsystems need stores of their
     * own: Linux refuses a namespace whose identifiers it already knows under another subsystem.
     * Each path gets about half the CPU it would get alone; the ratio is what compares.
     */
    private static TargetBench.Row[] sideBySide(TargetBench.Workload w, int seconds) throws Exception {
        try (KernelNvmeHost.Connection cOn = KernelNvmeHost.connect("rdma", PAIR_ON, Rxe.address(), SERVICE_ON);
             KernelNvmeHost.Connection cOff = KernelNvmeHost.connect("rdma", PAIR_OFF, Rxe.address(), SERVICE_OFF)) {
            CpuUse before = CpuUse.now();
            CompletableFuture<FioResult> fOn = CompletableFuture.supplyAsync(() -> TargetBench.fio(w, cOn.blockDevices().get(0), seconds, "64M"));
            CompletableFuture<FioResult> fOff = CompletableFuture.supplyAsync(() -> TargetBench.fio(w, cOff.blockDevices().get(0), seconds, "64M"));
            FioResult on = fOn.get();
            FioResult off = fOff.get();
            CpuUse.Delta both = CpuUse.now().since(before);  // one window for both paths
            return new TargetBench.Row[] {new TargetBench.Row(ON, "rdma", w, on, both), new TargetBench.Row(OFF, "rdma", w, off, both)};
        }
    }

    private static void reportSideBySide(List<TargetBench.Row[]> pairs, List<TargetBench.Workload> workloads, BenchFigures figures) {
        System.out.println();
        System.out.printf("Side by side (both paths at once, %d runs per workload):%n%n", ROUNDS);
        System.out.println("| workload | on IOPS (mean) | off IOPS (mean) | on / off | per run | goal |");
        System.out.println("|---|---|---|---|---|---|");
        for (TargetBench.Workload w : workloads) {
            double sumOn = 0;
            double sumOff = 0;
            StringBuilder runs = new StringBuilder();
            for (TargetBench.Row[] p : pairs) {
                if (p[0].workload() != w) {
                    continue;
                }
                double on = side(p[0]).iops();
                double off = side(p[1]).iops();
                sumOn += on;
                sumOff += off;
                runs.append(runs.isEmpty() ? "" : ", ").append(String.format("%.2f", on / off));
            }
            System.out.printf("| %s | %.0f | %.0f | %.2f | %s | >= %.2f |%n", w.name(), sumOn / ROUNDS, sumOff / ROUNDS, sumOn / sumOff,
                    runs, BenchGoals.OFFLOAD_PARITY);
            figures.figure("offload-side-by-side", ON, w.name(), sumOn / ROUNDS, "IOPS")
                    .figure("offload-side-by-side", OFF, w.name(), sumOff / ROUNDS, "IOPS");
            BenchGoals.offloadOnOff(figures, "side by side", w.name(), "per run " + runs, sumOn, sumOff);
        }
    }

    /** The store outlives both targets: it leaves each before its server closes stores. */
    private static void stop(Target target, TargetServer server) {
        target.unlink(1, NQN);
        target.removeNamespace(NQN, 1);
        server.close();
    }

    private static Target target(RamNamespaceStore store, boolean offload, int service) {
        Target target = new Target();
        target.addSubsystem(NQN, "BENCHOFF0001", "nvmf-offload offload bench", true);
        target.addNamespace(NQN, 1, store);
        if (offload) {
            target.setOffload(NQN, SubsystemOffload.defaults());
        }
        target.addPort(Port.of(1, TransportType.RDMA, Rxe.address(), service));
        target.link(1, NQN);
        return target;
    }

    private static void report(List<TargetBench.Row> rows, List<TargetBench.Workload> workloads, BenchFigures figures) {
        System.out.println();
        // Both targets live in this JVM; the idle one sleeps on its completion channel, so the JVM's CPU is the measured one's.
        System.out.println("| path | workload | IOPS | MB/s | mean lat us | p99 lat us | " + TargetBench.Row.CPU_HEADER + " |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (TargetBench.Row r : rows) {
            FioResult.Side s = side(r);
            System.out.printf("| %s | %s | %.0f | %.1f | %.0f | %.0f | %s |%n", r.target(), r.workload().name(), s.iops(),
                    s.bytesPerSecond() / 1e6, s.meanLatencyMicros(), s.p99LatencyMicros(), r.cpuColumns(s.ios()));
        }
        System.out.println();
        for (TargetBench.Row r : rows) {
            System.out.printf("JVM threads, %s %s: %s%n", r.target(), r.workload().name(), r.cpu().busiestThreads());
        }
        System.out.println();
        System.out.printf("| workload | on IOPS (mean of %d) | off IOPS (mean of %d) | on / off | per round | goal |%n", ROUNDS, ROUNDS);
        System.out.println("|---|---|---|---|---|---|");
        for (TargetBench.Workload w : workloads) {
            double[] on = iops(rows, w, ON);
            double[] off = iops(rows, w, OFF);
            double meanOn = Arrays.stream(on).average().orElse(0);
            double meanOff = Arrays.stream(off).average().orElse(0);
            // Round k pairs the k-th "on" run with the k-th "off" run (ABBA keeps drift out of the means).
            StringBuilder rounds = new StringBuilder();
            for (int k = 0; k < Math.min(on.length, off.length); k++) {
                rounds.append(k == 0 ? "" : ", ").append(String.format("%.2f", on[k] / off[k]));
            }
            System.out.printf("| %s | %.0f | %.0f | %.2f | %s | >= %.2f |%n", w.name(), meanOn, meanOff, meanOn / meanOff, rounds,
                    BenchGoals.OFFLOAD_PARITY);
            figures.figure("offload-abba", ON, w.name(), meanOn, "IOPS")
                    .figure("offload-abba", OFF, w.name(), meanOff, "IOPS");
            BenchGoals.offloadOnOff(figures, "ABBA", w.name(), "per round " + rounds, meanOn, meanOff);
        }
    }

    private static double[] iops(List<TargetBench.Row> rows, TargetBench.Workload w, String who) {
        return rows.stream().filter(r -> r.workload() == w && r.target().equals(who)).mapToDouble(r -> side(r).iops()).toArray();
    }

    private static FioResult.Side side(TargetBench.Row r) {
        return r.workload().rw().contains("write") ? r.result().write() : r.result().read();
    }

    private OffloadBench() {}
}
