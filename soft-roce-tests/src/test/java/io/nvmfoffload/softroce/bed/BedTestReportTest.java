package io.nvmfoffload.softroce.bed;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BedTestReportTest {
    @TempDir
    Path dir;

    @Test
    void readsPassedFailedAndSkippedCasesWithTheirMessages() throws IOException {
        Files.writeString(dir.resolve("TEST-junit-jupiter.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <testsuite name="JUnit Jupiter" tests="3">
                  <testcase name="ok()" classname="a.b.GoodTest" time="0.5"/>
                  <testcase name="bad()" classname="a.b.BadTest" time="1.25">
                    <failure message="expected: &lt;1&gt; but was: &lt;2&gt;" type="org.opentest4j.AssertionFailedError">trace line</failure>
                  </testcase>
                  <testcase name="later()" classname="a.b.SkipTest" time="0"><skipped message="no device"/></testcase>
                </testsuite>
                """);
        List<BedTestResult> results = BedTestReport.read(dir);
        assertEquals(3, results.size());
        assertEquals(BedTestResult.Outcome.PASSED, results.get(0).outcome());
        BedTestResult bad = results.get(1);
        assertEquals(BedTestResult.Outcome.FAILED, bad.outcome());
        assertEquals("expected: <1> but was: <2>", bad.message());
        assertEquals("BadTest.bad()", bad.displayName());
        assertTrue(bad.detail().contains("trace line"));
        assertEquals(BedTestResult.Outcome.SKIPPED, results.get(2).outcome());
        assertEquals("no device", results.get(2).message());
    }

    @Test
    void missingReportDirectoryMeansNoResults() throws IOException {
        assertTrue(BedTestReport.read(dir.resolve("absent")).isEmpty());
    }

    @Test
    void unreadableReportNamesTheFile() throws IOException {
        Path file = dir.resolve("TEST-broken.xml");
        Files.writeString(file, "<testsuite><testcase");
        IOException e = assertThrows(IOException.class, () -> BedTestReport.read(dir));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }
}
