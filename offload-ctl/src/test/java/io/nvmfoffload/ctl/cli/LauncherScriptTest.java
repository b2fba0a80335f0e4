package io.nvmfoffload.ctl.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** offload-ctl/bin/offload-ctl, the operators' launcher, run as an installed symlink would run it. */
class LauncherScriptTest {
    @Test
    void theLauncherFindsItsCheckoutWhenRunThroughASymlink(@TempDir Path dir) throws Exception {
        Path launcher = Path.of("bin", "offload-ctl").toAbsolutePath();
        Path root = launcher.getParent().getParent().getParent();
        Path link = Files.createDirectories(dir.resolve("usr/local/bin")).resolve("offload-ctl");
        Files.createSymbolicLink(link, launcher);
        ProcessBuilder pb = new ProcessBuilder("bash", link.toString(), "--version").redirectErrorStream(true);
        pb.environment().remove("JAVA_HOME"); // so it finds a JDK itself, through env.sh or its cached answer
        Process p = pb.start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the launcher did not finish");
        assertFalse(output.contains("No such file"), output);
        // Without a packaged jar the launcher says how to build one, in the checkout it points at.
        assertTrue(p.exitValue() == 0 ? output.startsWith("offload-ctl ") : output.contains("not built yet; run: (cd " + root + " &&"),
                output);
    }
}
