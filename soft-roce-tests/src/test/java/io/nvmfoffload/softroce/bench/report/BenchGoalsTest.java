package io.nvmfoffload.softroce.bench.report;

import io.nvmfoffload.softroce.bench.report.BenchGoals.RdmaReads;
import io.nvmfoffload.softroce.bench.report.BenchGoals.RxeRates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchGoalsTest {
    private static final String STREAM = "rxe's user-space 128 KiB RDMA WRITE stream (ib_write_bw -s 131072)";
    private static final String PAIRS = "rxe's 4 KiB RDMA WRITE + 16-byte SEND pairs, 32 outstanding (WriteSendBench)";
    private static final String WRITES = "rxe's 4 KiB RDMA WRITE rate (ib_write_bw -s 4096)";
    /** rxe in this run: 12,000 4 KiB WRITEs/s, a 50 MB/s 128 KiB stream, 10,000 WRITE + SEND pairs/s at 32 outstanding. */
    private static final RxeRates RXE = new RxeRates(12_000, 50e6, 10_000, 32);

    @TempDir
    Path dir;

    private static String targets(RdmaReads ours, RdmaReads kernel) {
        BenchFigures f = new BenchFigures("targets", "Targets");
        BenchGoals.againstRxe(f, "4k randread QD32", "128k seqread QD8", ours, kernel, RXE);
        return BenchReport.markdown("r1", List.of(f.fragment("r1")), List.of());
    }

    private static String goalTable(String md) {
        return md.substring(md.indexOf("## Ratios against their goals"), md.indexOf("## Reference ratios"));
    }

    /** The report of our reads against {@link #RXE} (the kernel's fixed) holds {@code row}. */
    private static void assertRow(RdmaReads ours, String row) {
        String md = targets(ours, new RdmaReads(7_000, 56e6));
        assertTrue(md.contains(row), md);
    }

    @Test
    void ourLargeReadsMeetTheirGoalAtRxesOwnStreamAndMissBelowIt() {
        assertRow(new RdmaReads(9_000, 52e6), "| targets | our RDMA 128k seqread QD8 / " + STREAM + " | 1.04 | >= 1.00 | met |");
        assertRow(new RdmaReads(9_000, 45e6), "| targets | our RDMA 128k seqread QD8 / " + STREAM + " | 0.90 | >= 1.00 | **missed** |");
    }

    @Test
    void ourQd32ReadsMeetTheirGoalFromNineTenthsOfTheWriteSendPairRate() {
        assertRow(new RdmaReads(9_000, 52e6), "| targets | our RDMA 4k randread QD32 / " + PAIRS + " | 0.90 | >= 0.90 | met |");
        assertRow(new RdmaReads(8_900, 52e6), "| targets | our RDMA 4k randread QD32 / " + PAIRS + " | 0.89 | >= 0.90 | **missed** |");
    }

    @Test
    void theKernelsRatiosToRxeAndOursToTheWriteOnlyRateAreReferencesWithoutGoal() {
        String md = targets(new RdmaReads(9_000, 52e6), new RdmaReads(7_000, 56e6));

        assertTrue(md.contains("| targets | kernel nvmet RDMA 128k seqread QD8 / " + STREAM + " | 1.12 |\n"), md);
        assertTrue(md.contains("| targets | kernel nvmet RDMA 4k randread QD32 / " + PAIRS + " | 0.70 |\n"), md);
        assertTrue(md.contains("| targets | our RDMA 4k randread QD32 / " + WRITES + " | 0.75 |\n"), md);
        assertTrue(md.contains("| targets | kernel nvmet RDMA 4k randread QD32 / " + WRITES + " | 0.58 |\n"), md);
        assertFalse(goalTable(md).contains("kernel nvmet RDMA"), md);
        assertFalse(goalTable(md).contains(WRITES), md);
    }

    @Test
    void oursOverKernelIsAGoalExceptForLargeReadsOverRdma() {
        BenchFigures f = new BenchFigures("targets", "Targets");
        BenchGoals.oursOverKernel(f, "rdma", "4k randread QD32", false, 1.18);
        BenchGoals.oursOverKernel(f, "rdma", "128k seqread QD8", true, 0.93);
        BenchGoals.oursOverKernel(f, "tcp", "128k seqread QD8", true, 1.84);
        String md = BenchReport.markdown("r1", List.of(f.fragment("r1")), List.of());

        assertTrue(goalTable(md).contains("| targets | ours / kernel nvmet, rdma, 4k randread QD32 | 1.18 | >= 1.00 | met |"), md);
        assertTrue(goalTable(md).contains("| targets | ours / kernel nvmet, tcp, 128k seqread QD8 | 1.84 | >= 1.00 | met |"), md);
        assertFalse(goalTable(md).contains("rdma, 128k"), md);
        assertTrue(md.contains("| targets | ours / kernel nvmet, rdma, 128k seqread QD8 | 0.93 |\n"), md);
    }

    @Test
    void theEmulatedOffloadOnOffIsJudgedAsParity() {
        BenchFigures f = new BenchFigures("offload", "Offload");
        BenchGoals.offloadOnOff(f, "ABBA", "4k randread QD32", "per round 0.99, 1.03", 9_085, 8_999);
        BenchGoals.offloadOnOff(f, "ABBA", "4k randwrite QD32", "per round 0.93, 0.96", 7_542, 7_991);
        BenchGoals.offloadOnOff(f, "side by side", "4k randread QD1", "per run 0.97, 0.97", 3_880, 4_000);
        String md = BenchReport.markdown("r1", List.of(f.fragment("r1")), List.of());

        assertTrue(md.contains("| offload | emulated offload on / off, ABBA, 4k randread QD32 (per round 0.99, 1.03) | 1.01 | >= 0.97 "
                + "| met |"), md);
        assertTrue(md.contains("| offload | emulated offload on / off, ABBA, 4k randwrite QD32 (per round 0.93, 0.96) | 0.94 | >= 0.97 "
                + "| **missed** |"), md);
        assertTrue(md.contains("| offload | emulated offload on / off, side by side, 4k randread QD1 (per run 0.97, 0.97) | 0.97 | >= 0.97 "
                + "| met |"), md);
        assertFalse(md.contains("## Reference ratios"), "no stage gave references: " + md);
    }

    @Test
    void referencesTravelThroughTheRunDirectoryIntoTheReport() throws Exception {
        Files.writeString(dir.resolve("run"), "r1\n");
        BenchFigures f = new BenchFigures("targets", "Targets");
        BenchGoals.againstRxe(f, "4k randread QD32", "128k seqread QD8", new RdmaReads(9_000, 52e6), new RdmaReads(7_000, 56e6), RXE);
        BenchFigures.write(f.fragment("r1"), dir.resolve("targets.json"));

        String md = Files.readString(BenchReport.write(dir));

        assertTrue(md.contains("| targets | kernel nvmet RDMA 128k seqread QD8 / " + STREAM + " | 1.12 |\n"), md);
        assertTrue(Files.readString(dir.resolve("figures.json")).contains("\"references\""));
    }

    @Test
    void aPairRateThatWasNotMeasuredMissesItsGoalThroughTheRunDirectory() throws Exception {
        Files.writeString(dir.resolve("run"), "r1\n");
        BenchFigures f = new BenchFigures("targets", "Targets");
        BenchGoals.againstRxe(f, "4k randread QD32", "128k seqread QD8", new RdmaReads(9_000, 52e6), new RdmaReads(7_000, 56e6),
                new RxeRates(12_000, 50e6, Double.NaN, 32));
        BenchFigures.write(f.fragment("r1"), dir.resolve("targets.json"));

        String md = Files.readString(BenchReport.write(dir));

        assertTrue(md.contains("| targets | our RDMA 4k randread QD32 / " + PAIRS + " | NaN | >= 0.90 | **missed** |"), md);
        assertTrue(md.contains("| targets | our RDMA 128k seqread QD8 / " + STREAM + " | 1.04 | >= 1.00 | met |"), md);
    }

    @Test
    void aFragmentWrittenWithoutReferencesReadsAsOneWithNone() throws Exception {
        Path file = dir.resolve("targets.json");
        Files.writeString(file, """
                {"run": "r1", "stage": "targets", "title": "Targets", "started": null, "finished": null, "charts": [], "figures": [],
                 "ratios": [{"name": "ours / kernel nvmet, rdma, 4k randread QD1", "value": 1.21, "goal": 1.0, "atLeast": true}],
                 "notes": []}
                """);

        BenchFigures.Fragment fragment = BenchFigures.read(file);

        assertTrue(fragment.references().isEmpty());
        assertTrue(fragment.ratios().getFirst().met());
    }
}
