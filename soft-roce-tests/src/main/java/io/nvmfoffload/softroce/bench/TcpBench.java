package io.nvmfoffload.softroce.bench;

import io.nvmfoffload.nvme.store.FileNamespaceStore;
import io.nvmfoffload.softroce.bed.Rxe;
import io.nvmfoffload.softroce.bench.report.BenchFigures;
import io.nvmfoffload.softroce.fio.FioResult;
import io.nvmfoffload.softroce.nvmet.KernelNvmeHost;
import io.nvmfoffload.softroce.nvmet.KernelNvmetTarget;
import io.nvmfoffload.softroce.nvmet.RamDisk;
import io.nvmfoffload.softroce.process.Commands;
import io.nvmfoffload.nvmf.NamespaceCounters;
import io.nvmfoffload.nvmf.Port;
import io.nvmfoffload.nvmf.Target;
import io.nvmfoffload.nvmf.TransportType;
import io.nvmfoffload.nvmf.server.TargetServer;
import io.nvmfoffload.nvmf.transport.tcp.ddp.UlpDdpCapability;
import io.nvmfoffload.nvmf.transport.tcp.ddp.UlpDdpDevice;
import io.nvmfoffload.softroce.bench.TargetBench.Workload;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;

/**
 * NVMe/TCP in one run, in the soft-RoCE guest, through the kernel NVMe host: our TCP target
 * against the kernel's nvmet-tcp on the same RAM disk (reads), and our target with its DDP receive
 * offload model on against off (writes, with data digests), in ABBA order against the host's
 * drift, printing IOPS and the bytes placed and copied per write. Run by bench/tcp-bench.sh.
 * Figures under TCG are relative, never absolute.
 */
public final class TcpBench {
    private static final String KERNEL_NQN = "nqn.2026-11.io.nvmf-offload:tcp-bench-kernel";
    private static final String OUR_NQN = "nqn.2026-11.io.nvmf-offload:tcp-bench-ours";
    private static final int OURS = 4421;

    record DdpRow(boolean on, Workload workload, FioResult result, long placed, long copied, long writes) {}

    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(System.getenv().getOrDefault("BENCH_SECONDS", "15"));
        // BENCH_ONLY=reads or ddp runs one part
        String only = System.getenv().getOrDefault("BENCH_ONLY", "");
        List<Workload> reads = List.of(new Workload("4k randread QD32", "randread", "4k", 32),
                new Workload("128k seqread QD8", "read", "128k", 8));
        List<Workload> writes = List.of(new Workload("128k seqwrite QD8", "write", "128k", 8),
                new Workload("4k randwrite QD32", "randwrite", "4k", 32));
        KernelNvmeHost.loadModules();
        int steps = 2 + (only.isEmpty() || only.equals("reads") ? 2 * reads.size() : 0)
                + (only.isEmpty() || only.equals("ddp") ? 4 * writes.size() : 0);
        Progress progress = new Progress("tcp bench", steps);
        List<TargetBench.Row> vsKernel = new ArrayList<>();
        List<DdpRow> ddpRows = new ArrayList<>();
        double sentFromFilesPerRead = 0;
        try (RamDisk ram = RamDisk.create(256L << 20)) {
            Commands.bash(Duration.ofMinutes(2), "dd if=/dev/urandom of=" + ram.device() + " bs=1M count=256 status=none").orThrow();
            try (KernelNvmetTarget kernel = KernelNvmetTarget.subsystem(KERNEL_NQN).namespace(1, ram.device())
                    .port(12, "tcp", Rxe.address(), 4420).start();
                 TargetServer ours = ourTarget(ram.device())) {
                UlpDdpDevice ddp = ours.tcpListeners().get(0).ddp();
                NamespaceCounters counters = ours.target().subsystem(OUR_NQN).namespace(1).counters();
                TargetBench.measure("nvmf-offload warm-up", "tcp", OUR_NQN, OURS, List.of(reads.get(0), writes.get(0)), seconds, progress);
                if (only.isEmpty() || only.equals("reads")) {
                    vsKernel.addAll(TargetBench.measure("kernel nvmet", "tcp", KERNEL_NQN, 4420, reads, seconds, progress));
                    long sentBefore = ours.tcpListeners().get(0).bytesSentFromFiles();
                    long readsBefore = counters.readCommands.sum();
                    vsKernel.addAll(TargetBench.measure("nvmf-offload", "tcp", OUR_NQN, OURS, reads, seconds, progress));
                    sentFromFilesPerRead = (double) (ours.tcpListeners().get(0).bytesSentFromFiles() - sentBefore)
                            / Math.max(1, counters.readCommands.sum() - readsBefore);
                }
                if (only.isEmpty() || only.equals("ddp")) {
                    for (boolean on : new boolean[] {true, false, false, true}) {
                        ddp.setCaps(on ? UlpDdpCapability.all() : 0, UlpDdpCapability.NVME_TCP.bit());
                        ddpRows.addAll(measureDdp(on, ddp, counters, writes, seconds, progress));
                    }
                }
            }
        }
        BenchFigures figures = new BenchFigures("tcp", "NVMe/TCP: our target against nvmet-tcp, and the DDP receive offload model")
                .chart("tcp-reads", "NVMe/TCP reads: our target and nvmet-tcp (IOPS)", BenchFigures.ChartKind.BARS, "workload", "IOPS")
                .chart("tcp-ddp", "NVMe/TCP writes with data digests: DDP model on / off (IOPS, ABBA means)", BenchFigures.ChartKind.BARS,
                        "workload", "IOPS")
                .note("DDP is the emulated provider's model in user space, not hardware: placed = read from the socket straight into "
                        + "the command's buffer; copied = through a receive buffer and a copy.");
        report(vsKernel, reads, sentFromFilesPerRead, ddpRows, writes, figures);
        figures.writeIfRequested();
    }

    private static TargetServer ourTarget(Path device) {
        Target target = new Target();
        target.addSubsystem(OUR_NQN, "TCPBENCH01", "nvmf-offload tcp bench", true);
        target.addNamespace(OUR_NQN, 1, FileNamespaceStore.openBlockDevice(device, 4096, false));
        target.addPort(Port.of(1, TransportType.TCP, Rxe.address(), OURS));
        target.link(1, OUR_NQN);
        return new TargetServer(target).start();
    }

    /** Each workload on a new connection with data digests (the socket takes the DDP state at connect). */
    private static List<DdpRow> measureDdp(boolean on, UlpDdpDevice ddp, NamespaceCounters counters, List<Workload> workloads,
                                           int seconds, Progress progress) {
        List<DdpRow> rows = new ArrayList<>();
        try (KernelNvmeHost.Connection c = KernelNvmeHost.connect("tcp", OUR_NQN, Rxe.address(), OURS, "--data-digest")) {
            Path dev = c.blockDevices().get(0);
            for (Workload w : workloads) {
                progress.step(String.format("DDP %s, %s with data digests (%d s)", on ? "on" : "off", w.name(), seconds));
                long placed = ddp.statistics().placedBytes();
                long copied = ddp.statistics().copiedBytes();
                long writes = counters.writeCommands.sum();
                FioResult f = TargetBench.fio(w, dev, seconds, "256M");
                // per write the target executed (fio's count leaves out its ramp time)
                rows.add(new DdpRow(on, w, f, ddp.statistics().placedBytes() - placed, ddp.statistics().copiedBytes() - copied,
                        counters.writeCommands.sum() - writes));
            }
        }
        return rows;
    }

    private static void report(List<TargetBench.Row> vsKernel, List<Workload> reads, double sentFromFilesPerRead, List<DdpRow> ddpRows,
                               List<Workload> writes, BenchFigures figures) {
        if (!vsKernel.isEmpty()) {
            System.out.println();
            System.out.println("| target | workload | IOPS | MB/s | mean lat us | p99 lat us |");
            System.out.println("|---|---|---|---|---|---|");
            for (TargetBench.Row r : vsKernel) {
                FioResult.Side d = r.result().read();
                System.out.printf("| %s | %s | %.0f | %.1f | %.0f | %.0f |%n", r.target(), r.workload().name(), d.iops(),
                        d.bytesPerSecond() / 1e6, d.meanLatencyMicros(), d.p99LatencyMicros());
            }
            System.out.println();
            System.out.println("| workload | ours / kernel nvmet-tcp IOPS | goal |");
            System.out.println("|---|---|---|");
            for (Workload w : reads) {
                double ours = iops(vsKernel, "nvmf-offload", w);
                double kernel = iops(vsKernel, "kernel nvmet", w);
                System.out.printf("| %s | %.2f | >= 1.0 |%n", w.name(), ours / kernel);
                figures.figure("tcp-reads", "nvmf-offload", w.name(), ours, "IOPS").figure("tcp-reads", "kernel nvmet-tcp", w.name(), kernel, "IOPS")
                        .ratio("ours / kernel nvmet-tcp, " + w.name(), ours / kernel, 1.0, true);
            }
            figures.figure(null, "our reads: bytes per read sent by sendfile", "", sentFromFilesPerRead, "bytes");
            System.out.printf("our reads: %.0f bytes per read sent from the page cache by sendfile (no user-space copy)%n",
                    sentFromFilesPerRead);
        }
        if (ddpRows.isEmpty()) {
            return;
        }
        System.out.println();
        Set<String> tabulated = new HashSet<>();
        System.out.println("| DDP | workload (data digest on) | IOPS | MB/s | placed bytes / write | copied bytes / write |");
        System.out.println("|---|---|---|---|---|---|");
        for (DdpRow r : ddpRows) {
            FioResult.Side d = r.result().write();
            long ios = Math.max(1, r.writes());
            System.out.printf("| %s | %s | %.0f | %.1f | %d | %d |%n", r.on() ? "on" : "off", r.workload().name(), d.iops(),
                    d.bytesPerSecond() / 1e6, r.placed() / ios, r.copied() / ios);
            String series = "DDP " + (r.on() ? "on" : "off") + ", " + r.workload().name();
            if (tabulated.add(series)) {  // the first of its ABBA runs: the others place and copy the same per write
                figures.figure(null, series + ": placed bytes per write", "", r.placed() / ios, "bytes")
                        .figure(null, series + ": copied bytes per write", "", r.copied() / ios, "bytes");
            }
        }
        System.out.println();
        System.out.println("| workload | DDP on / off IOPS (ABBA means) |");
        System.out.println("|---|---|");
        for (Workload w : writes) {
            double on = ddpRows.stream().filter(r -> r.on() && r.workload().equals(w)).mapToDouble(r -> r.result().write().iops()).average().orElse(0);
            double off = ddpRows.stream().filter(r -> !r.on() && r.workload().equals(w)).mapToDouble(r -> r.result().write().iops()).average().orElse(0);
            System.out.printf("| %s | %.2f |%n", w.name(), on / off);
            figures.figure("tcp-ddp", "DDP on", w.name(), on, "IOPS").figure("tcp-ddp", "DDP off", w.name(), off, "IOPS")
                    .ratio("DDP on / off, " + w.name() + " with data digests", on / off, 1.0, true);
        }
        System.out.println("(DDP is the emulated provider's model, in user space: placed = read from the socket straight into the "
                + "command's buffer; copied = through a receive buffer and a copy. Not hardware.)");
    }

    private static double iops(List<TargetBench.Row> rows, String target, Workload w) {
        return rows.stream().filter(r -> r.target().equals(target) && r.workload().equals(w)).mapToDouble(r -> r.result().read().iops())
                .findFirst().orElseThrow();
    }

    private TcpBench() {}
}
