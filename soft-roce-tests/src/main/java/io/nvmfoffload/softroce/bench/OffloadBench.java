package io.nvmfoffload.softroce.bench;

import io.nvmfoffload.nvme.store.RamNamespaceStore;
import io.nvmfoffload.offload.DeviceProfile;
import io.nvmfoffload.offload.emulated.EmulatedNvmfOffloadProvider;
import io.nvmfoffload.softroce.bed.Rxe;
import io.nvmfoffload.softroce.fio.FioResult;
import io.nvmfoffload.softroce.nvmet.KernelNvmeHost;
import io.nvmfoffload.target.Port;
import io.nvmfoffload.target.SubsystemOffload;
import io.nvmfoffload.target.Target;
import io.nvmfoffload.target.TransportType;
import io.nvmfoffload.target.server.TargetServer;
import io.nvmfoffload.verbs.nvmf.OffloadNamespaceCounters;

import java.util.ArrayList;
import java.util.List;

/**
 * The same subsystem, the same RAM namespace, the same kernel host and fio workloads, served with
 * the offload on (emulated provider on rxe0) and then off (software path). Prints IOPS and the
 * on/off ratio per workload (goal >= 1.0), and the engine's counters as proof of which path ran.
 * Run inside the soft-RoCE guest (bench/offload-bench.sh). TCG figures are relative only.
 */
public final class OffloadBench {
    private static final String NQN = "nqn.2026-11.io.nvmf-offload:bench-offload";
    private static final int SERVICE = 4450;

    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(System.getenv().getOrDefault("BENCH_SECONDS", "15"));
        List<TargetBench.Workload> workloads = List.of(
                new TargetBench.Workload("4k randread QD32", "randread", "4k", 32),
                new TargetBench.Workload("4k randwrite QD32", "randwrite", "4k", 32),
                new TargetBench.Workload("4k randread QD1", "randread", "4k", 1),
                new TargetBench.Workload("128k seqread QD8", "read", "128k", 8));
        KernelNvmeHost.loadModules();
        RamNamespaceStore store = RamNamespaceStore.create("bench-offload", 4096, (256L << 20) / 4096);
        List<TargetBench.Row> rows = new ArrayList<>();
        for (boolean on : new boolean[] {true, false}) {
            Target target = new Target();
            target.addSubsystem(NQN, "BENCHOFF0001", "nvmf-offload offload bench", true);
            target.addNamespace(NQN, 1, store);
            if (on) {
                target.setOffload(NQN, SubsystemOffload.defaults());
            }
            target.addPort(Port.of(1, TransportType.RDMA, Rxe.address(), SERVICE));
            target.link(1, NQN);
            TargetServer server = new TargetServer(target)
                    .offloadProvider(new EmulatedNvmfOffloadProvider(DeviceProfile.connectX5Class())).start();
            try {
                rows.addAll(TargetBench.measure(on ? "offload on (emulated)" : "offload off", "rdma", NQN, SERVICE, workloads, seconds));
                OffloadNamespaceCounters c = server.offloads().counters(1, NQN, 1);
                System.out.printf("offload %s: engine counters %s; software reads %d writes %d%n", on ? "on" : "off", c,
                        target.subsystem(NQN).namespace(1).counters().readCommands.sum(),
                        target.subsystem(NQN).namespace(1).counters().writeCommands.sum());
            } finally {
                // The store outlives both runs: take it out of the target before the server closes stores.
                target.unlink(1, NQN);
                target.removeNamespace(NQN, 1);
                server.close();
            }
        }
        store.close();
        report(rows, workloads);
    }

    private static void report(List<TargetBench.Row> rows, List<TargetBench.Workload> workloads) {
        System.out.println();
        System.out.println("| path | workload | IOPS | MB/s | mean lat us | p99 lat us |");
        System.out.println("|---|---|---|---|---|---|");
        for (TargetBench.Row r : rows) {
            FioResult.Side s = side(r);
            System.out.printf("| %s | %s | %.0f | %.1f | %.0f | %.0f |%n", r.target(), r.workload().name(), s.iops(),
                    s.bytesPerSecond() / 1e6, s.meanLatencyMicros(), s.p99LatencyMicros());
        }
        System.out.println();
        System.out.println("| workload | offload on / off IOPS | goal |");
        System.out.println("|---|---|---|");
        for (TargetBench.Workload w : workloads) {
            double on = rows.stream().filter(r -> r.workload() == w && r.target().startsWith("offload on")).mapToDouble(r -> side(r).iops())
                    .findFirst().orElse(0);
            double off = rows.stream().filter(r -> r.workload() == w && r.target().equals("offload off")).mapToDouble(r -> side(r).iops())
                    .findFirst().orElse(0);
            System.out.printf("| %s | %.2f | >= 1.0 |%n", w.name(), on / off);
        }
    }

    private static FioResult.Side side(TargetBench.Row r) {
        return r.workload().rw().contains("write") ? r.result().write() : r.result().read();
    }

    private OffloadBench() {}
}
