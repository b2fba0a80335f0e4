package io.nvmfoffload.softroce.bed;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The host side of the soft-RoCE tests: chooses a bed, boots it once, runs every {@link InBed} test
 * there with JUnit's console launcher, and reports each of them here as a test of its own, so that a
 * failure inside fails this build with the inner message.
 *
 * <p>In the same boot it first runs {@code BrokenInBedTest}, which always fails, and checks that its
 * failure and message come back: the bed's failure path is proven on every run.
 */
class SoftRoceBedTest {
    static final String SELFTEST_TAG = "bed-selftest";

    @TestFactory
    Stream<DynamicNode> testsTaggedInBedRunInsideTheSoftRoceBed() throws IOException {
        Path project = Path.of(required("softroce.project"));
        TestBedSelector.Choice choice = TestBedSelector.choose(project, System.getProperty("softroce.bed"));
        System.out.println(choice.explain());
        if (!choice.found()) {
            if (Boolean.getBoolean("softroce.required")) {
                fail(choice.explain() + "; softroce.required=true demands a bed (test.sh sets it)");
            }
            Assumptions.abort(choice.explain());
        }

        Path work = Path.of(required("softroce.workDir"));
        Path suiteReports = work.resolve("reports/in-bed");
        Path selftestReports = work.resolve("reports/selftest");
        deleteTree(work);
        Files.createDirectories(work);

        Path testClasses = Path.of(required("softroce.testClasses"));
        String classpath = testClasses + ":" + required("softroce.classes") + ":"
                + Files.readString(Path.of(required("softroce.classpathFile"))).strip();
        BedLauncher launcher = new BedLauncher(Path.of(System.getProperty("java.home")), classpath, testClasses,
                forwardedProperties());
        // softroce.suiteTag=bed-selftest runs the broken test as the suite: a demonstration that an
        // inner failure fails this build with its message.
        String suiteTag = System.getProperty("softroce.suiteTag", InBed.TAG);
        String script = "echo '== bed self-test: a deliberately broken test (its failure is expected) =='\n"
                + launcher.command(SELFTEST_TAG, selftestReports) + " > " + work.resolve("selftest.log") + " 2>&1\n"
                + "echo \"bed self-test launcher exit $?\"\n"
                + "echo '== tests tagged " + suiteTag + " =='\n"
                + launcher.command(suiteTag, suiteReports) + "\n";

        Duration timeout = Duration.ofSeconds(Long.getLong("softroce.timeoutSeconds", 2400));
        BedRun run = choice.bed().run(script, timeout, work.resolve("logs"), line -> System.out.println("[bed] " + line));
        Files.writeString(work.resolve("bed-output.log"), run.output());
        System.out.println(run.timingLine());

        List<BedTestResult> suite = BedTestReport.read(suiteReports);
        List<BedTestResult> selftest = BedTestReport.read(selftestReports);
        List<DynamicNode> nodes = new ArrayList<>();
        nodes.add(DynamicTest.dynamicTest("the bed ran the suite to its end", () -> checkRun(run, suite)));
        nodes.add(DynamicTest.dynamicTest("a broken in-bed test comes back as a failure with its message",
                () -> checkSelftest(selftest, work)));
        for (BedTestResult result : suite) {
            nodes.add(DynamicTest.dynamicTest(result.displayName(), () -> replay(result, run)));
        }
        return nodes.stream();
    }

    private static void checkRun(BedRun run, List<BedTestResult> suite) {
        boolean launcherFinished = run.exitCode() == 0 || (run.exitCode() == 1 && !suite.isEmpty());
        if (!launcherFinished || suite.isEmpty()) {
            fail("the bed '" + run.bed() + "' did not finish the suite (exit " + run.exitCode() + ", "
                    + suite.size() + " test reports); logs in " + run.logDir()
                    + (run.kernelConsole() == null ? "" : ", guest kernel console kept at " + run.kernelConsole())
                    + "\n--- last bed output ---\n" + tail(run.output(), 60));
        }
    }

    private static void checkSelftest(List<BedTestResult> selftest, Path work) throws IOException {
        String log = readOrEmpty(work.resolve("selftest.log"));
        BedTestResult broken = selftest.stream()
                .filter(r -> r.className().endsWith(".BrokenInBedTest")).findFirst()
                .orElseThrow(() -> new AssertionError("the bed self-test left no report; its log: " + tail(log, 30)));
        assertTrue(broken.outcome() == BedTestResult.Outcome.FAILED
                        && broken.message().contains(BrokenMessage.TEXT),
                "the broken in-bed test should come back FAILED with its message, came back " + broken);
    }

    private static void replay(BedTestResult result, BedRun run) {
        switch (result.outcome()) {
            case PASSED -> { }
            case SKIPPED -> Assumptions.abort("skipped in the bed: " + result.message());
            case FAILED, ERROR -> fail("in the soft-RoCE bed '" + run.bed() + "': " + result.message()
                    + "\n--- inside the bed ---\n" + tail(result.detail(), 40));
        }
    }

    private static List<String> forwardedProperties() {
        return System.getProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith("softroce.") || k.startsWith("nvmf."))
                .sorted()
                .map(k -> k + "=" + System.getProperty(k))
                .toList();
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " is not set (the soft-roce-tests pom sets it)");
        }
        return value;
    }

    private static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private static String readOrEmpty(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
