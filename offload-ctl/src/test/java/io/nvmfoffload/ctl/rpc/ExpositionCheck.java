package io.nvmfoffload.ctl.rpc;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Reads a Prometheus text exposition (format 0.0.4) by the rules of Prometheus' own parser
 * (expfmt), and also hands it to {@code promtool check metrics}, that parser and its linter, when
 * promtool is installed (Debian package prometheus); the Java reading runs everywhere.
 */
final class ExpositionCheck {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)(?: -?\\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\",?");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "summary", "histogram", "untyped");

    private ExpositionCheck() {
    }

    /**
     * Fails on what Prometheus would reject, and on a HELP text that two families share.
     *
     * @return each family's HELP text, by family name, in the order given
     */
    static Map<String, String> check(String text) {
        assertTrue(text.endsWith("\n"), "an exposition ends with a newline");
        Map<String, String> help = new LinkedHashMap<>();
        Map<String, String> type = new HashMap<>();
        Set<String> done = new HashSet<>();
        Set<String> series = new HashSet<>();
        Set<String> helpTexts = new HashSet<>();
        String current = null;
        for (String line : text.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                String[] p = line.substring(7).split(" ", 2);
                assertTrue(NAME.matcher(p[0]).matches(), "metric name: " + line);
                assertEquals(2, p.length, "text after the name: " + line);
                current = enter(current, p[0], done, line);
                if (line.startsWith("# HELP ")) {
                    assertTrue(help.putIfAbsent(p[0], p[1]) == null, "a second HELP for " + p[0]);
                    assertTrue(helpTexts.add(p[1]), "HELP text shared with another family: " + line);
                } else {
                    assertTrue(TYPES.contains(p[1]), "type: " + line);
                    assertTrue(type.putIfAbsent(p[0], p[1]) == null, "a second TYPE for " + p[0]);
                }
                continue;
            }
            if (line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertTrue(m.matches(), "sample line: " + line);
            String family = family(m.group(1), type);
            current = enter(current, family, done, line);
            value(m.group(3), line);
            assertTrue(series.add(m.group(1) + "{" + labels(m.group(2), line) + "}"), "repeated series: " + line);
        }
        return help;
    }

    /** The family a sample belongs to: its own name, or a summary's or histogram's name for _sum, _count, _bucket. */
    private static String family(String sample, Map<String, String> type) {
        for (String suffix : new String[] {"_sum", "_count", "_bucket"}) {
            if (sample.endsWith(suffix)) {
                String base = sample.substring(0, sample.length() - suffix.length());
                String t = type.get(base);
                if ("summary".equals(t) || "histogram".equals(t)) {
                    return base;
                }
            }
        }
        return sample;
    }

    /** A family's lines are together: one seen before and left again is an error (expfmt: "second HELP/TYPE"). */
    private static String enter(String current, String family, Set<String> done, String line) {
        if (family.equals(current)) {
            return current;
        }
        if (current != null) {
            done.add(current);
        }
        assertFalse(done.contains(family), "family " + family + " resumed after another one: " + line);
        return family;
    }

    /** Labels, sorted, with duplicates refused. */
    private static String labels(String text, String line) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        Map<String, String> labels = new java.util.TreeMap<>();
        Matcher m = LABEL.matcher(text);
        int end = 0;
        while (m.lookingAt()) {
            assertTrue(labels.put(m.group(1), m.group(2)) == null, "repeated label " + m.group(1) + ": " + line);
            end = m.end();
            m.region(end, text.length());
        }
        assertEquals(text.length(), end, "labels: " + line);
        return labels.toString();
    }

    private static void value(String v, String line) {
        if (v.equals("+Inf") || v.equals("-Inf") || v.equals("NaN")) {
            return;
        }
        try {
            Double.parseDouble(v);
        } catch (NumberFormatException e) {
            fail("value: " + line);
        }
    }

    /** promtool check metrics on {@code text}, when promtool is on the PATH; true when it ran (and passed). */
    static boolean promtool(String text) throws IOException, InterruptedException {
        Path tool = null;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "promtool");
            if (Files.isExecutable(p)) {
                tool = p;
                break;
            }
        }
        if (tool == null) {
            System.out.println("ExpositionCheck: promtool is not installed; the exposition was read by the Java check only");
            return false;
        }
        Process p = new ProcessBuilder(tool.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "promtool did not finish");
        assertEquals(0, p.exitValue(), "promtool check metrics:\n" + said);
        return true;
    }
}
