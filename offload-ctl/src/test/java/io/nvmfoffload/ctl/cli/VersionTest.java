package io.nvmfoffload.ctl.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class VersionTest {
    private static String run(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = OffloadCtl.commandLine(args);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(new StringWriter(), true));
        assertEquals(0, cli.execute(args));
        return out.toString();
    }

    @Test
    void versionNamesTheVersionAndTheCommitOfTheBuild() {
        Properties info = VersionProvider.buildInfo();
        assertTrue(info.getProperty("commit", "").matches("[0-9a-f]{40}|unknown commit"), info.toString());
        String out = run("--version");
        assertTrue(out.startsWith("offload-ctl " + info.getProperty("version") + " ("), out);
        assertTrue(out.contains(info.getProperty("commit")), out);
        assertEquals(out, run("-V"));
        assertEquals(out, run("host", "add", "--version"), "every command says the same");
    }

    @Test
    void theBuildRecordsTheCommitGitReports() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        assumeTrue(Files.exists(root.resolve(".git")), "built from a git checkout");
        Process git = new ProcessBuilder("git", "--git-dir=" + root.resolve(".git"), "rev-parse", "HEAD").start();
        String head = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assumeTrue(git.waitFor(30, TimeUnit.SECONDS) && git.exitValue() == 0, "git answers");
        assertEquals(head, VersionProvider.buildInfo().getProperty("commit"));
    }

    @Test
    void aBuildWithoutGitSaysUnknownCommit() {
        Properties info = new Properties();
        info.setProperty("version", "1.2.3");
        info.setProperty("commit", "unknown commit");
        info.setProperty("modified", "false");
        assertEquals("offload-ctl 1.2.3 (unknown commit)", VersionProvider.lines(info)[0]);
        info.setProperty("commit", "0123456789abcdef0123456789abcdef01234567");
        info.setProperty("modified", "true");
        assertArrayEquals(new String[] {"offload-ctl 1.2.3 (commit 0123456789abcdef0123456789abcdef01234567 with uncommitted changes)",
                "Java " + Runtime.version()}, VersionProvider.lines(info));
    }
}
