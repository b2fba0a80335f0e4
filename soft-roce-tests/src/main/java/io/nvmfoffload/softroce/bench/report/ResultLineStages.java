package io.nvmfoffload.softroce.bench.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two benchmarks run as scripts print their figures as one {@code RESULT key=value ...} line;
 * this turns such an output into the report's fragment: bench/verbs-bench.sh (Java verbs against
 * perftest) and offload-ctl's ConfigBench (the control plane, which must not depend on the test bed).
 */
final class ResultLineStages {
    private ResultLineStages() {}

    static BenchFigures.Fragment verbs(Path output, String run) {
        Map<String, Double> r = resultLine(output);
        double cLat = need(r, "perftest_send_lat_us", output);
        double jLat = need(r, "java_send_lat_us", output);
        double cBw = need(r, "perftest_write_MBps", output);
        double jBw = need(r, "java_write_MBps", output);
        return new BenchFigures("verbs", "The Java verbs binding against perftest on rxe0 (" + r.getOrDefault("rounds", 0.0).intValue()
                + " alternating rounds)")
                .chart("verbs-latency", "Ping-pong SEND latency, 2 bytes inline (typical, us)", BenchFigures.ChartKind.BARS, "",
                        "latency (us)")
                .chart("verbs-bandwidth", "RDMA WRITE bandwidth, 64 KiB (MB/s, 2^20 bytes)", BenchFigures.ChartKind.BARS, "", "MB/s")
                .figure("verbs-latency", "perftest ib_send_lat", "SEND", cLat, "us")
                .figure("verbs-latency", "Java VerbsBench", "SEND", jLat, "us")
                .figure("verbs-bandwidth", "perftest ib_write_bw", "RDMA WRITE", cBw, "MB/s")
                .figure("verbs-bandwidth", "Java VerbsBench", "RDMA WRITE", jBw, "MB/s")
                .ratio("Java / ib_send_lat SEND latency", jLat / cLat, 1.1, false)
                .ratio("Java / ib_write_bw RDMA WRITE bandwidth", jBw / cBw, 0.95, true)
                .fragment(run);
    }

    static BenchFigures.Fragment controlPlane(Path output, String run) {
        Map<String, Double> r = resultLine(output);
        String title = String.format("The control plane: %d subsystems x %d namespaces applied to a serving target, and the "
                + "management round trip (on the host, not in the guest)", need(r, "subsystems", output).intValue(),
                need(r, "namespaces", output).intValue());
        BenchFigures f = new BenchFigures("control-plane", title)
                .chart("control-apply", "Apply of a large configuration (ms)", BenchFigures.ChartKind.BARS, "", "ms")
                .chart("control-round-trip", "Management round trip, 'offload-ctl host list' (median ms)", BenchFigures.ChartKind.BARS,
                        "", "ms")
                .figure("control-apply", "parse + validate", "", need(r, "validate_ms", output), "ms")
                .figure("control-apply", "apply", "", need(r, "apply_ms", output), "ms")
                .figure("control-apply", "re-apply (validate + diff)", "", need(r, "reapply_ms", output), "ms")
                .figure(null, "RSS after apply", "", need(r, "rss_mib", output), "MiB")
                .figure("control-round-trip", "in process (JSON-RPC)", "", need(r, "rpc_median_ms", output), "ms");
        if (r.containsKey("cli_launcher_ms")) {
            f.figure("control-round-trip", "JVM floor (java -version)", "", r.get("cli_floor_ms"), "ms")
                    .figure("control-round-trip", "CLI, plain JVM", "", r.get("cli_plain_ms"), "ms")
                    .figure("control-round-trip", "CLI, bin/offload-ctl (AOT cache)", "", r.get("cli_launcher_ms"), "ms")
                    .ratio("CLI round trip through bin/offload-ctl, seconds", r.get("cli_launcher_ms") / 1000, 0.3, false);
        }
        return f.fragment(run);
    }

    static boolean hasResultLine(Path output) {
        return lines(output).stream().anyMatch(l -> l.startsWith("RESULT "));
    }

    /** The last {@code RESULT} line of {@code output} as numbers by key. */
    static Map<String, Double> resultLine(Path output) {
        String line = lines(output).reversed().stream().filter(l -> l.startsWith("RESULT ")).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(output + ": no 'RESULT key=value ...' line (did the benchmark finish?)"));
        Map<String, Double> values = new LinkedHashMap<>();
        for (String pair : line.substring("RESULT ".length()).trim().split("\\s+")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(output + ": '" + pair + "' in the RESULT line is not key=value");
            }
            try {
                values.put(pair.substring(0, eq), Double.parseDouble(pair.substring(eq + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(output + ": " + pair.substring(0, eq) + " in the RESULT line is not a number: '"
                        + pair.substring(eq + 1) + "'");
            }
        }
        return values;
    }

    private static List<String> lines(Path output) {
        try {
            return Files.readAllLines(output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read benchmark output " + output, e);
        }
    }

    private static Double need(Map<String, Double> values, String key, Path output) {
        Double v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException(output + ": the RESULT line has no " + key + " (it has " + values.keySet() + ")");
        }
        return v;
    }
}
