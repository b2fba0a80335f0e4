package io.nvmfoffload.softroce.bench.report;

import io.nvmfoffload.softroce.bench.report.BenchFigures.Chart;
import io.nvmfoffload.softroce.bench.report.BenchFigures.Figure;
import io.nvmfoffload.softroce.bench.report.BenchFigures.Fragment;
import io.nvmfoffload.softroce.bench.report.BenchFigures.Ratio;
import io.nvmfoffload.softroce.bench.report.BenchFigures.Reference;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one run directory of ./bench.sh into the report: {@code figures.json} (every fragment of
 * the run, merged), one PNG per chart, and {@code report.md} that shows the charts, the figures
 * behind them and every ratio against its goal. A fragment of another run is refused, so every
 * figure of a report comes from the same run; a stage that did not finish is named as missing.
 *
 * <pre>java -cp ... io.nvmfoffload.softroce.bench.report.BenchReport RUN_DIR</pre>
 */
public final class BenchReport {
    /** What the goal table judges, and why these are the goals. */
    static final String GOALS_TEXT = String.format("Each row compares two figures of this run; the goals are those the soft-RoCE "
            + "bed can judge. Our RDMA target's reads against what rxe carries between two user-space queue pairs, whose protocol "
            + "work rxe does in the poster's `ibv_post_send` as it does for our target's: 128 KiB sequential reads against "
            + "ib_write_bw's 128 KiB RDMA WRITE stream (goal >= %.2f), and 4 KiB random reads at QD32 against the rate of the two "
            + "posts each read costs, a 4 KiB RDMA WRITE chained with a 16-byte SEND, 32 pairs outstanding (WriteSendBench, "
            + "goal >= %.2f). Our target against the kernel's nvmet for 4 KiB reads over RDMA and every read over TCP "
            + "(goal >= %.2f). The emulated offload on / off as parity (goal >= %.2f): the emulation does the NIC's work on the "
            + "CPU the software path uses, so it cannot be faster. The other stages' rows compare NVMe/TCP with nvmet-tcp, the "
            + "DDP model on / off and the Java verbs binding with perftest on the same device; the control plane's row is a time.",
            BenchGoals.RXE_STREAM, BenchGoals.RXE_WRITE_SEND, BenchGoals.KERNEL, BenchGoals.OFFLOAD_PARITY);
    /** Why the references carry no goal. */
    static final String REFERENCES_TEXT = "Ratios of this run the bed cannot judge, shown without a goal: the kernel's nvmet over "
            + "RDMA at 128 KiB and against rxe's rates (its kernel queue pairs leave rxe's protocol work to softirq on any CPU, so a "
            + "user-space queue pair's rate does not bound them), and the QD32 reads against ib_write_bw's 4 KiB WRITE-only rate "
            + "(one post where a read costs two).";

    /** The stages of a full run, in report order, with the file each leaves in the run directory. */
    static final Map<String, String> STAGES = orderedStages();

    private BenchReport() {}

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: BenchReport RUN_DIR (a directory written by ./bench.sh, with its 'run' file)");
            System.exit(2);
        }
        try {
            Path report = write(Path.of(args[0]));
            System.out.println("bench: report written to " + report);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            System.err.println("bench report: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Writes figures.json, the PNGs and report.md into {@code dir}; returns the report's path. */
    static Path write(Path dir) {
        String run = readRun(dir);
        List<Fragment> fragments = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, String> stage : STAGES.entrySet()) {
            Path file = dir.resolve(stage.getValue());
            if (!Files.isRegularFile(file)) {
                missing.add(stage.getKey() + " (no " + stage.getValue() + ")");
                continue;
            }
            if (file.toString().endsWith(".txt") && !ResultLineStages.hasResultLine(file)) {
                missing.add(stage.getKey() + " (no RESULT line in " + stage.getValue() + ": the stage did not finish)");
                continue;
            }
            Fragment f = switch (stage.getKey()) {
                case "verbs" -> ResultLineStages.verbs(file, run);
                case "control-plane" -> ResultLineStages.controlPlane(file, run);
                default -> BenchFigures.read(file);
            };
            if (!run.equals(f.run())) {
                throw new IllegalArgumentException(file + " belongs to run '" + f.run() + "', not to this directory's run '" + run
                        + "': a report takes every figure from one run");
            }
            fragments.add(f);
        }
        if (fragments.isEmpty()) {
            throw new IllegalArgumentException(dir + " holds no stage's figures; missing: " + String.join(", ", missing));
        }
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("run", run);
        all.put("missing_stages", missing);
        all.put("stages", fragments);
        BenchFigures.write(all, dir.resolve("figures.json"));
        for (Fragment f : fragments) {
            for (Chart c : f.charts()) {
                PngChart.write(c, f.figures(), dir.resolve(c.id() + ".png"));
            }
        }
        Path report = dir.resolve("report.md");
        try {
            Files.writeString(report, markdown(run, fragments, missing));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + report, e);
        }
        return report;
    }

    static String markdown(String run, List<Fragment> fragments, List<String> missing) {
        StringBuilder md = new StringBuilder();
        md.append("# nvmf-offload benchmark report\n\n");
        md.append("Run `").append(run).append("`, written ").append(Instant.now()).append(". Every figure below comes from this run ")
                .append("(`figures.json` beside this file holds them all). The RDMA and TCP figures were measured in the soft-RoCE ")
                .append("guest under software emulation (TCG): compare the ratios, not the absolute figures. Offload figures are ")
                .append("the **emulated provider**'s, a software model of the NIC, not hardware.\n\n");
        if (!missing.isEmpty()) {
            md.append("**Stages missing from this run:** ").append(String.join("; ", missing)).append(".\n\n");
        }
        md.append("## Ratios against their goals\n\n").append(GOALS_TEXT).append("\n\n");
        md.append("| stage | ratio (both figures from this run) | value | goal | |\n|---|---|---|---|---|\n");
        for (Fragment f : fragments) {
            for (Ratio r : f.ratios()) {
                md.append(String.format("| %s | %s | %.2f | %s %.2f | %s |%n", f.stage(), r.name(), r.value(), r.atLeast() ? ">=" : "<=",
                        r.goal(), r.met() ? "met" : "**missed**"));
            }
        }
        if (fragments.stream().anyMatch(f -> !f.references().isEmpty())) {
            md.append("\n## Reference ratios, no goal\n\n").append(REFERENCES_TEXT).append("\n\n");
            md.append("| stage | ratio (both figures from this run) | value |\n|---|---|---|\n");
            for (Fragment f : fragments) {
                for (Reference r : f.references()) {
                    md.append(String.format("| %s | %s | %.2f |%n", f.stage(), r.name(), r.value()));
                }
            }
        }
        for (Fragment f : fragments) {
            md.append("\n## ").append(f.title()).append("\n\n");
            if (f.started() != null) {
                md.append("Stage `").append(f.stage()).append("`, ").append(f.started()).append(" to ").append(f.finished()).append(".\n\n");
            }
            for (Chart c : f.charts()) {
                md.append("![").append(c.title()).append("](").append(c.id()).append(".png)\n\n");
                table(md, c, f.figures().stream().filter(x -> c.id().equals(x.chart())).toList());
            }
            List<Figure> loose = f.figures().stream().filter(x -> x.chart() == null).toList();
            if (!loose.isEmpty()) {
                md.append("| figure | | value |\n|---|---|---|\n");
                for (Figure x : loose) {
                    md.append(String.format("| %s | %s | %s %s |%n", x.series(), x.x(), PngChart.number(x.value()), x.unit()));
                }
                md.append('\n');
            }
            for (String note : f.notes()) {
                md.append("> ").append(note).append("\n\n");
            }
        }
        return md.toString();
    }

    /** The chart's figures with its x values as rows and its series as columns. */
    private static void table(StringBuilder md, Chart c, List<Figure> figures) {
        List<String> xs = BenchFigures.xValues(figures);
        List<String> series = BenchFigures.series(figures);
        md.append("| ").append(c.xLabel()).append(" |");
        series.forEach(s -> md.append(' ').append(s).append(" |"));
        md.append("\n|---|").append("---|".repeat(series.size())).append('\n');
        for (String x : xs) {
            md.append("| ").append(x).append(" |");
            for (String s : series) {
                Figure f = BenchFigures.find(figures, s, x);
                md.append(' ').append(f == null ? "" : PngChart.number(f.value()) + " " + f.unit()).append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
    }

    private static String readRun(Path dir) {
        Path runFile = dir.resolve("run");
        try {
            String run = Files.readString(runFile).trim();
            if (run.isEmpty()) {
                throw new IllegalArgumentException(runFile + " is empty: it should hold the run's id");
            }
            return run;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the run id from " + runFile + " (is " + dir + " a ./bench.sh run directory?): "
                    + e.getMessage());
        }
    }

    private static Map<String, String> orderedStages() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("targets", "targets.json");
        m.put("tcp", "tcp.json");
        m.put("offload", "offload.json");
        m.put("verbs", "verbs.txt");
        m.put("control-plane", "control-plane.txt");
        return Collections.unmodifiableMap(m);
    }
}
