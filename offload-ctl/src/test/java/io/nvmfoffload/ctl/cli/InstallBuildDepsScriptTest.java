package io.nvmfoffload.ctl.cli;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ./run.sh's installer, scripts/install-build-deps.sh, on stubbed Debian 12 and 13 machines (its
 * shell test stubs apt-get, apt-cache and id: nothing is installed here), run with the module's tests.
 */
class InstallBuildDepsScriptTest {
    @Test
    void theInstallerDoesWhatEachStubbedMachineNeeds() throws Exception {
        Path test = Path.of("").toAbsolutePath().getParent().resolve("scripts/tests/install-build-deps-test.sh");
        Process p = new ProcessBuilder("bash", test.toString()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the shell test did not finish");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.strip().endsWith(" passed, 0 failed"), out);
    }
}
