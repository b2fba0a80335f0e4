package io.nvmfoffload.nvme.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prints RandomIoBenchmark's JMH JSON result as a ratio table against raw FileChannel. A regular
 * expression is enough for JMH's fixed JSON layout and keeps the benchmark free of a JSON library.
 */
public final class BenchTable {
    private static final Pattern RESULT = Pattern.compile(
            "\"benchmark\"\\s*:\\s*\"[^\"]*\\.(\\w+)\".*?\"target\"\\s*:\\s*\"([^\"]+)\".*?"
                    + "\"primaryMetric\"\\s*:\\s*\\{\\s*\"score\"\\s*:\\s*([0-9.eE+-]+)\\s*,\\s*\"scoreError\"\\s*:\\s*\"?([0-9.eE+-]+|NaN)",
            Pattern.DOTALL);

    private BenchTable() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: BenchTable <jmh-result.json>");
            System.exit(2);
        }
        String json = Files.readString(Path.of(args[0]));
        Map<String, double[]> rows = new LinkedHashMap<>();
        Matcher m = RESULT.matcher(json);
        while (m.find()) {
            double[] row = rows.computeIfAbsent(m.group(2), k -> new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN});
            int col = m.group(1).equals("randomRead4k") ? 0 : 2;
            row[col] = Double.parseDouble(m.group(3));
            row[col + 1] = m.group(4).equals("NaN") ? Double.NaN : Double.parseDouble(m.group(4));
        }
        double[] base = rows.get("raw-filechannel");
        if (base == null) {
            System.err.println("no raw-filechannel result in " + args[0] + "; cannot compute ratios");
            System.exit(1);
        }
        System.out.println("4 KiB random I/O, queue depth 1, one submitting thread (ops/s; ratio = target / raw FileChannel)");
        System.out.printf("%-16s %14s %7s %14s %7s%n", "target", "read ops/s", "ratio", "write ops/s", "ratio");
        for (Map.Entry<String, double[]> e : rows.entrySet()) {
            double[] r = e.getValue();
            System.out.printf("%-16s %14s %7.2f %14s %7.2f%n", e.getKey(),
                    ops(r[0], r[1]), r[0] / base[0], ops(r[2], r[3]), r[2] / base[2]);
        }
    }

    private static String ops(double score, double error) {
        return Double.isNaN(error) ? String.format("%,.0f", score) : String.format("%,.0f±%.0f%%", score, 100 * error / score);
    }
}
