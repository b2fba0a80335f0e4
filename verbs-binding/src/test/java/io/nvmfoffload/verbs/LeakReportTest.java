package io.nvmfoffload.verbs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs a small program in a fresh JVM, since the report is a shutdown hook chosen at startup. */
class LeakReportTest {
    private static String runLeakingProgram(boolean enabled) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
        if (enabled) {
            command.add("-D" + LeakReport.PROPERTY + "=true");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), LeakingProgram.class.getName()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the leaking program did not exit");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void enabledReportPrintsUnclosedResourcesWithTheirCreationSiteAtExit() throws Exception {
        String out = runLeakingProgram(true);

        assertTrue(out.contains("verbs leak report: 1 PD never closed"), out);
        assertTrue(out.contains("PD forgotten"), out);
        assertTrue(out.contains("at " + LeakingProgram.class.getName() + ".main"), out);
        assertFalse(out.contains("MR closed"), out);
    }

    @Test
    void reportIsSilentUnlessEnabled() throws Exception {
        String out = runLeakingProgram(false);

        assertTrue(out.contains("exiting with 1 open"), out);
        assertFalse(out.contains("leak report"), out);
    }
}
