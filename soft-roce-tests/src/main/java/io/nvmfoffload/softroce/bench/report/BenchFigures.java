package io.nvmfoffload.softroce.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The figures one benchmark stage measured, as the report needs them: which chart each figure goes
 * on, the ratios against their goals, the reference ratios (no goal), and the run they belong to. A stage writes its fragment to
 * the file named by {@code BENCH_FIGURES}, tagged with {@code BENCH_RUN}; {@link BenchReport} merges
 * the fragments of one run and refuses any other run's (every figure of a report comes from one
 * run). Without {@code BENCH_FIGURES} a bench only prints.
 */
public final class BenchFigures {
    /** Environment variable: where this stage's fragment goes. */
    public static final String FIGURES_ENV = "BENCH_FIGURES";
    /** Environment variable: the run every fragment of one report carries. */
    public static final String RUN_ENV = "BENCH_RUN";

    public enum ChartKind { LINE, BARS }

    /**
     * One plot: for LINE the x values are the categories along the axis (queue depths) and each
     * series a line; for BARS each x value is a group with one bar per series.
     */
    public record Chart(String id, String title, ChartKind kind, String xLabel, String yLabel) {}

    /** One measured value; {@code chart} is null for a figure that is only tabulated. */
    public record Figure(String chart, String series, String x, double value, String unit) {}

    /** A ratio of two figures of this run against its goal: met when {@code value >= goal} (or {@code <=} when not {@code atLeast}). */
    public record Ratio(String name, double value, double goal, boolean atLeast) {
        public boolean met() {
            return atLeast ? value >= goal : value <= goal;
        }
    }

    /** A ratio of two figures of this run shown for reference: where a goal would judge what the bed cannot show. */
    public record Reference(String name, double value) {}

    /** What a stage writes and the report reads; the times are ISO-8601 instants. */
    public record Fragment(String run, String stage, String title, String started, String finished, List<Chart> charts,
                           List<Figure> figures, List<Ratio> ratios, List<Reference> references, List<String> notes) {
        public Fragment {
            // a fragment written without references reads as one with none
            references = references == null ? List.of() : references;
        }
    }

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String stage;
    private final String title;
    /** Each stage runs in a JVM of its own: it started when the JVM did. */
    private final Instant started = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
    private final List<Chart> charts = new ArrayList<>();
    private final List<Figure> figures = new ArrayList<>();
    private final List<Ratio> ratios = new ArrayList<>();
    private final List<Reference> references = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public BenchFigures(String stage, String title) {
        this.stage = stage;
        this.title = title;
    }

    public BenchFigures chart(String id, String chartTitle, ChartKind kind, String xLabel, String yLabel) {
        charts.add(new Chart(id, chartTitle, kind, xLabel, yLabel));
        return this;
    }

    public BenchFigures figure(String chart, String series, String x, double value, String unit) {
        figures.add(new Figure(chart, series, x, value, unit));
        return this;
    }

    public BenchFigures ratio(String name, double value, double goal, boolean atLeast) {
        ratios.add(new Ratio(name, value, goal, atLeast));
        return this;
    }

    public BenchFigures reference(String name, double value) {
        references.add(new Reference(name, value));
        return this;
    }

    public BenchFigures note(String text) {
        notes.add(text);
        return this;
    }

    public Fragment fragment(String run) {
        return new Fragment(run, stage, title, started.toString(), Instant.now().toString(), List.copyOf(charts), List.copyOf(figures), List.copyOf(ratios),
                List.copyOf(references), List.copyOf(notes));
    }

    /** Writes the fragment where {@code BENCH_FIGURES} says, if it says; returns whether it wrote. */
    public boolean writeIfRequested() {
        String path = System.getenv(FIGURES_ENV);
        if (path == null || path.isBlank()) {
            return false;
        }
        String run = System.getenv(RUN_ENV);
        if (run == null || run.isBlank()) {
            throw new IllegalStateException(FIGURES_ENV + " is set but " + RUN_ENV + " is not: a fragment must name its run");
        }
        write(fragment(run), Path.of(path));
        System.out.println("bench: figures written to " + path);
        return true;
    }

    /** The x values of {@code figures}, each once, in the order measured: a chart's categories, a table's rows. */
    static List<String> xValues(List<Figure> figures) {
        return figures.stream().map(Figure::x).distinct().toList();
    }

    /** The series of {@code figures}, each once, in the order measured: a chart's lines or bars, a table's columns. */
    static List<String> series(List<Figure> figures) {
        return figures.stream().map(Figure::series).distinct().toList();
    }

    /** The figure of {@code series} at {@code x}, or null where none was measured. */
    static Figure find(List<Figure> figures, String series, String x) {
        return figures.stream().filter(f -> f.series().equals(series) && f.x().equals(x)).findFirst().orElse(null);
    }

    static void write(Object value, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            JSON.writeValue(file.toFile(), value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write benchmark figures to " + file, e);
        }
    }

    static Fragment read(Path file) {
        try {
            return JSON.readValue(file.toFile(), Fragment.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read benchmark figures from " + file + ": " + e.getMessage(), e);
        }
    }
}
