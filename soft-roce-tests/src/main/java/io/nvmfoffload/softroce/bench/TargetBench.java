package io.nvmfoffload.softroce.bench;

import io.nvmfoffload.nvme.store.FileNamespaceStore;
import io.nvmfoffload.softroce.bed.Rxe;
import io.nvmfoffload.softroce.bench.report.BenchFigures;
import io.nvmfoffload.softroce.bench.report.BenchGoals;
import io.nvmfoffload.softroce.fio.Fio;
import io.nvmfoffload.softroce.fio.FioResult;
import io.nvmfoffload.softroce.nvmet.KernelNvmeHost;
import io.nvmfoffload.softroce.nvmet.KernelNvmetTarget;
import io.nvmfoffload.softroce.nvmet.RamDisk;
import io.nvmfoffload.softroce.process.CommandResult;
import io.nvmfoffload.softroce.process.Commands;
import io.nvmfoffload.nvmf.Port;
import io.nvmfoffload.nvmf.Target;
import io.nvmfoffload.nvmf.TransportType;
import io.nvmfoffload.nvmf.server.TargetServer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Side by side, in one run, on one RAM disk: our target and the kernel's nvmet, each reached by the
 * kernel NVMe host over RDMA and TCP, under the same fio workloads; then what rxe0 carries between
 * two user-space queue pairs: perftest's 4 KiB RDMA WRITE message rate and 128 KiB stream, and the
 * 4 KiB WRITE + 16-byte SEND pairs our target posts per read ({@link WriteSendBench}). Prints every
 * figure and the ratios ({@link BenchGoals} says which are goals). Run inside the soft-RoCE guest
 * (bench/target-bench.sh, or the report of ./bench.sh). Figures under TCG are relative, never absolute.
 */
public final class TargetBench {
    private static final String KERNEL_NQN = "nqn.2026-11.io.nvmf-offload:bench-kernel";
    private static final String OUR_NQN = "nqn.2026-11.io.nvmf-offload:bench-ours";
    /** 4 KiB random reads at these depths: the report plots IOPS and latency against them. */
    private static final int[] QUEUE_DEPTHS = {1, 4, 16, 32};

    record Workload(String name, String rw, String bs, int iodepth) {}

    /** @param cpu the guest's and this JVM's CPU over the fio run (ramp included) */
    record Row(String target, String transport, Workload workload, FioResult result, CpuUse.Delta cpu) {
        /** The header of {@link #cpuColumns}, for the tables of both benches. */
        static final String CPU_HEADER = "guest CPU busy (busiest CPU) | fio CPU | target JVM CPU us/IO";

        /** Where the run's CPU went, as table cells: per I/O over {@code ios} (fio's ramp is inside the window, so it errs high). */
        String cpuColumns(long ios) {
            return String.format("%.0f %% (%.0f %%) | %.0f %% | %.0f", 100 * cpu.guestBusy(), 100 * cpu.busiestCpu(), result.cpuPercent(),
                    cpu.jvmCpuSeconds() * 1e6 / Math.max(1, ios));
        }
    }

    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(System.getenv().getOrDefault("BENCH_SECONDS", "20"));
        List<Workload> workloads = new ArrayList<>();
        for (int qd : QUEUE_DEPTHS) {
            workloads.add(new Workload("4k randread QD" + qd, "randread", "4k", qd));
        }
        Workload large = new Workload("128k seqread QD8", "read", "128k", 8);
        workloads.add(large);
        Workload qd32 = workloads.get(QUEUE_DEPTHS.length - 1);
        // BENCH_ONLY=rdma or tcp measures one transport, to look at it (no figures written)
        String only = System.getenv().getOrDefault("BENCH_ONLY", "");
        List<String> transports = switch (only) {
            case "" -> List.of("rdma", "tcp");
            case "rdma", "tcp" -> List.of(only);
            default -> throw new IllegalArgumentException("BENCH_ONLY=" + only + ": expected rdma or tcp");
        };
        KernelNvmeHost.loadModules();
        // warm-up 2 workloads x 2 transports, 4 targets x the workloads, the three raw rates
        Progress progress = new Progress("target bench", transports.size() * (2 + 2 * workloads.size()) + 3);
        List<Row> rows = new ArrayList<>();
        try (RamDisk ram = RamDisk.create(256L << 20)) {
            Commands.bash(Duration.ofMinutes(2), "dd if=/dev/urandom of=" + ram.device() + " bs=1M count=256 status=none").orThrow();
            try (KernelNvmetTarget kernel = KernelNvmetTarget.subsystem(KERNEL_NQN).namespace(1, ram.device())
                    .port(11, "rdma", Rxe.address(), 4420).port(12, "tcp", Rxe.address(), 4420).start();
                 TargetServer ours = ourTarget(ram.device())) {
                // Our target warm first: measured cold, a TCG guest spends most of a run compiling it.
                // The kernel needs no warm-up.
                for (String transport : transports) {
                    measure("nvmf-offload warm-up", transport, OUR_NQN, 4421, List.of(qd32, large), seconds, progress);
                }
                for (String transport : transports) {
                    rows.addAll(measure("kernel nvmet", transport, KERNEL_NQN, 4420, workloads, seconds, progress));
                    rows.addAll(measure("nvmf-offload", transport, OUR_NQN, 4421, workloads, seconds, progress));
                }
            }
        }
        progress.step("raw rxe: ib_write_bw 4 KiB (" + seconds + " s)");
        double rawMsgRate = rawWriteMessageRate(4096, seconds);
        progress.step("raw rxe: ib_write_bw 128 KiB (" + seconds + " s)");
        double rawLargeBytesPerSecond = rawWriteMessageRate(LARGE_MESSAGE, seconds) * LARGE_MESSAGE;
        progress.step("raw rxe: 4 KiB RDMA WRITE + 16-byte SEND pairs, " + qd32.iodepth() + " outstanding (warm-up, then " + seconds
                + " s)");
        double pairRate = Double.NaN;
        String pairFailure = null;
        try {
            pairRate = WriteSendBench.pairRate(qd32.iodepth(), seconds);
        } catch (Exception e) {
            // the stage's other figures stand without it; its goal row shows NaN, missed, and a note says why
            e.printStackTrace();
            pairFailure = e.toString();
        }
        BenchGoals.RxeRates rxe = new BenchGoals.RxeRates(rawMsgRate, rawLargeBytesPerSecond, pairRate, qd32.iodepth());
        BenchFigures figures = report(rows, transports, workloads, qd32, large, rxe);
        if (pairFailure != null) {
            figures.note("rxe's 4 KiB RDMA WRITE + 16-byte SEND pair rate was not measured: " + pairFailure);
        }
        if (only.isEmpty()) {
            figures.writeIfRequested();
        }
    }

    private static TargetServer ourTarget(Path device) {
        Target target = new Target();
        target.addSubsystem(OUR_NQN, "BENCH0001", "nvmf-offload bench", true);
        target.addNamespace(OUR_NQN, 1, FileNamespaceStore.openBlockDevice(device, 4096, false));
        target.addPort(Port.of(1, TransportType.RDMA, Rxe.address(), 4421));
        target.addPort(Port.of(2, TransportType.TCP, Rxe.address(), 4421));
        target.link(1, OUR_NQN);
        target.link(2, OUR_NQN);
        return new TargetServer(target).start();
    }

    static List<Row> measure(String who, String transport, String nqn, int service, List<Workload> workloads,
                             int seconds, Progress progress) {
        List<Row> rows = new ArrayList<>();
        try (KernelNvmeHost.Connection c = KernelNvmeHost.connect(transport, nqn, Rxe.address(), service)) {
            Path dev = c.blockDevices().get(0);
            for (Workload w : workloads) {
                progress.step(String.format("%s over %s, %s (%d s)", who, transport, w.name(), seconds));
                CpuUse before = CpuUse.now();
                FioResult result = fio(w, dev, seconds, "256M");
                rows.add(new Row(who, transport, w, result, CpuUse.now().since(before)));
            }
        }
        return rows;
    }

    /** One time-based fio run of {@code w} over the first {@code size} of {@code dev}, after a 2 s ramp. */
    static FioResult fio(Workload w, Path dev, int seconds, String size) {
        return Fio.job("bench", dev).option("rw", w.rw()).option("bs", w.bs()).option("iodepth", w.iodepth())
                .option("time_based", 1).option("runtime", seconds).option("ramp_time", 2).option("size", size)
                .timeout(Duration.ofSeconds(seconds + 120)).run();
    }

    private static final int RAW_ATTEMPTS = 3;
    private static final int LARGE_MESSAGE = 128 << 10;

    /**
     * perftest's ib_write_bw, messages of {@code size} bytes over rdma_cm: messages per second. perftest gives no
     * sign that its server listens, and its stdout is a pipe here (buffered until exit), so a
     * client that came too early, or a pair that did not finish, is tried again on a new port
     * rather than failing the whole benchmark.
     */
    private static double rawWriteMessageRate(int size, int seconds) throws InterruptedException {
        Pattern result = Pattern.compile("^\\s*" + size + "\\s+\\d+\\s+[\\d.]+\\s+([\\d.]+)\\s+([\\d.]+)", Pattern.MULTILINE);
        String failures = "";
        for (int attempt = 1; attempt <= RAW_ATTEMPTS; attempt++) {
            List<String> server = List.of("ib_write_bw", "-d", Rxe.DEVICE, "-R", "-s", Integer.toString(size), "-D", Integer.toString(seconds), "-F",
                    "-p", Integer.toString(18519 + attempt));
            try (Commands.Background s = Commands.start(server.toArray(String[]::new))) {
                Thread.sleep(1500L * attempt);
                List<String> client = new ArrayList<>(server);
                client.add(Rxe.address());
                CommandResult r = Commands.run(Duration.ofSeconds(seconds + 60), client);
                // "#bytes #iterations BW peak[MB/sec] BW average[MB/sec] MsgRate[Mpps]"
                Matcher m = result.matcher(r.stdout());
                if (r.exitCode() == 0 && m.find()) {
                    s.awaitOrStop(Duration.ofSeconds(30));
                    return Double.parseDouble(m.group(2)) * 1e6;
                }
                CommandResult srv = s.awaitOrStop(Duration.ofSeconds(5));
                failures += "attempt " + attempt + ": client exit " + r.exitCode() + "\n" + r.stdout() + r.stderr()
                        + "server exit " + srv.exitCode() + "\n" + srv.stdout() + "\n";
                System.out.printf("raw rxe: ib_write_bw attempt %d of %d gave no result (client exit %d); %s%n", attempt, RAW_ATTEMPTS,
                        r.exitCode(), attempt < RAW_ATTEMPTS ? "trying again on a new port" : "giving up");
            }
        }
        throw new IllegalStateException("ib_write_bw gave no result line in " + RAW_ATTEMPTS + " attempts:\n" + failures);
    }

    private static BenchFigures report(List<Row> rows, List<String> transports, List<Workload> workloads, Workload qd32, Workload large,
                                       BenchGoals.RxeRates rxe) {
        BenchFigures figures = new BenchFigures("targets", "Our target against the kernel's nvmet, RDMA and TCP, one RAM disk")
                .chart("targets-iops-qd", "4 KiB random read: IOPS by queue depth", BenchFigures.ChartKind.LINE, "queue depth", "IOPS")
                .chart("targets-latency-qd", "4 KiB random read: mean latency by queue depth", BenchFigures.ChartKind.LINE, "queue depth",
                        "mean latency (us)")
                .chart("targets-128k", "128 KiB sequential read, QD8", BenchFigures.ChartKind.BARS, "transport", "MB/s")
                .chart("targets-raw", "4 KiB: rxe's raw rates and our RDMA target at QD32", BenchFigures.ChartKind.BARS, "",
                        "operations/s");
        System.out.println();
        System.out.println("| target | transport | workload | IOPS | MB/s | mean lat us | p99 lat us | " + Row.CPU_HEADER + " |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        Map<String, FioResult> byKey = new LinkedHashMap<>();
        for (Row r : rows) {
            FioResult f = r.result();
            System.out.printf("| %s | %s | %s | %.0f | %.1f | %.0f | %.0f | %s |%n", r.target(), r.transport(), r.workload().name(),
                    f.read().iops(), f.read().bytesPerSecond() / 1e6, f.read().meanLatencyMicros(), f.read().p99LatencyMicros(),
                    r.cpuColumns(f.read().ios()));
            byKey.put(r.target() + "/" + r.transport() + "/" + r.workload().name(), f);
            String series = r.target() + " " + r.transport();
            if (r.workload() == large) {
                figures.figure("targets-128k", r.target(), r.transport(), f.read().bytesPerSecond() / 1e6, "MB/s");
            } else {
                String qd = Integer.toString(r.workload().iodepth());
                figures.figure("targets-iops-qd", series, qd, f.read().iops(), "IOPS");
                figures.figure("targets-latency-qd", series, qd, f.read().meanLatencyMicros(), "us");
                figures.figure(null, series + " p99 latency", qd, f.read().p99LatencyMicros(), "us");
            }
        }
        System.out.println();
        for (Row r : rows) {
            System.out.printf("JVM threads, %s %s %s: %s%n", r.target(), r.transport(), r.workload().name(), r.cpu().busiestThreads());
        }
        System.out.println();
        System.out.println("| transport | workload | ours / kernel IOPS |");
        System.out.println("|---|---|---|");
        for (String t : transports) {
            for (Workload w : workloads) {
                FioResult ours = byKey.get("nvmf-offload/" + t + "/" + w.name());
                FioResult kernel = byKey.get("kernel nvmet/" + t + "/" + w.name());
                double ratio = ours.read().iops() / kernel.read().iops();
                System.out.printf("| %s | %s | %.2f |%n", t, w.name(), ratio);
                BenchGoals.oursOverKernel(figures, t, w.name(), w == large, ratio);
            }
        }
        System.out.printf("%nrxe between user-space queue pairs: 4 KiB RDMA WRITE %.0f msg/s; 4 KiB RDMA WRITE + 16-byte SEND pairs, %d "
                        + "outstanding, %.0f pairs/s; 128 KiB RDMA WRITE stream %.1f MB/s%n", rxe.write4kPerSecond(), rxe.outstanding(),
                rxe.writeSendPairsPerSecond(), rxe.stream128kBytesPerSecond() / 1e6);
        figures.figure(null, "raw rxe: ib_write_bw 128 KiB messages", "128 KiB", rxe.stream128kBytesPerSecond() / 1e6, "MB/s")
                .figure("targets-raw", "ib_write_bw 4 KiB messages", "4 KiB", rxe.write4kPerSecond(), "msg/s");
        if (!Double.isNaN(rxe.writeSendPairsPerSecond())) {
            figures.figure("targets-raw", "4 KiB WRITE + 16-byte SEND pairs, QD" + rxe.outstanding(), "4 KiB",
                    rxe.writeSendPairsPerSecond(), "pairs/s");
        }
        FioResult oursQd32 = byKey.get("nvmf-offload/rdma/" + qd32.name());
        if (oursQd32 == null) {
            return figures;
        }
        figures.figure("targets-raw", "nvmf-offload rdma, 4k randread QD32", "4 KiB", oursQd32.read().iops(), "IOPS");
        BenchGoals.RdmaReads ours = new BenchGoals.RdmaReads(oursQd32.read().iops(),
                byKey.get("nvmf-offload/rdma/" + large.name()).read().bytesPerSecond());
        BenchGoals.RdmaReads kernel = new BenchGoals.RdmaReads(byKey.get("kernel nvmet/rdma/" + qd32.name()).read().iops(),
                byKey.get("kernel nvmet/rdma/" + large.name()).read().bytesPerSecond());
        System.out.printf("over RDMA, ours / kernel nvmet: %s %.2f / %.2f of the pair rate (goal >= %.2f), %s %.2f / %.2f of the "
                        + "128 KiB stream (goal >= %.2f)%n", qd32.name(), ours.smallIops() / rxe.writeSendPairsPerSecond(),
                kernel.smallIops() / rxe.writeSendPairsPerSecond(), BenchGoals.RXE_WRITE_SEND, large.name(),
                ours.largeBytesPerSecond() / rxe.stream128kBytesPerSecond(), kernel.largeBytesPerSecond() / rxe.stream128kBytesPerSecond(),
                BenchGoals.RXE_STREAM);
        BenchGoals.againstRxe(figures, qd32.name(), large.name(), ours, kernel, rxe);
        return figures;
    }

    private TargetBench() {}
}
