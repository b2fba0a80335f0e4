package io.nvmfoffload.ctl.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * scripts/package.sh's tarball, unpacked away from the source tree and run from there with a
 * minimal environment: its launcher must find its own jars and a JDK 25, and nothing else.
 * The tarball is made with --no-build from this build's classes (the same staging as a full run).
 */
class PackageTarballTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @TempDir
    static Path work;
    static Path tree;

    private record Run(int exit, String out) {}

    private static Run run(Path cwd, Map<String, String> env, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", cmd) + " did not finish");
        return new Run(p.exitValue(), out);
    }

    /** PATH of a fresh system only; JAVA_HOME only when no JDK 25 is under /usr/lib/jvm for the launcher to find. */
    private static Map<String, String> minimalEnv() throws IOException {
        boolean systemJdk25 = false;
        if (Files.isDirectory(Path.of("/usr/lib/jvm"))) {
            try (Stream<Path> jvms = Files.list(Path.of("/usr/lib/jvm"))) {
                systemJdk25 = jvms.anyMatch(PackageTarballTest::isJdk25);
            }
        }
        return systemJdk25 ? Map.of("PATH", "/usr/bin:/bin") : Map.of("PATH", "/usr/bin:/bin", "JAVA_HOME", System.getProperty("java.home"));
    }

    private static boolean isJdk25(Path jdk) {
        try {
            String release = Files.readString(jdk.resolve("release"));
            var m = java.util.regex.Pattern.compile("JAVA_VERSION=\"(\\d+)").matcher(release);
            return !Files.isSymbolicLink(jdk) && m.find() && Integer.parseInt(m.group(1)) >= 25;
        } catch (IOException e) {
            return false;
        }
    }

    @BeforeAll
    static void packAndUnpack() throws Exception {
        Path out = work.resolve("out");
        Run pack = run(ROOT, Map.of("PATH", System.getenv("PATH"), "JAVA_HOME", System.getProperty("java.home"), "HOME",
                System.getProperty("user.home")), "bash", ROOT.resolve("scripts/package.sh").toString(), "--no-build", "--output", out.toString());
        assertEquals(0, pack.exit(), pack.out());
        Path tarball;
        try (Stream<Path> files = Files.list(out)) {
            tarball = files.filter(f -> f.toString().endsWith(".tar.gz")).findFirst().orElseThrow();
        }
        Path prefix = Files.createDirectories(work.resolve("prefix"));
        Run untar = run(work, Map.of("PATH", "/usr/bin:/bin"), "tar", "-C", prefix.toString(), "--strip-components=1", "-xzf", tarball.toString());
        assertEquals(0, untar.exit(), untar.out());
        tree = prefix;
    }

    @Test
    void theTreeIsLaidOutForInstallation() {
        for (String f : List.of("bin/offload-ctl", "lib/systemd/system/nvmf-offload.service", "share/man/man1/offload-ctl.1.gz",
                "share/bash-completion/completions/offload-ctl", "etc/nvmf-offload/config.json.example",
                "share/doc/nvmf-offload/offload-ctl-config.schema.json")) {
            assertTrue(Files.isRegularFile(tree.resolve(f)), f + " missing");
        }
        assertTrue(Files.isExecutable(tree.resolve("bin/offload-ctl")));
        try (Stream<Path> jars = Files.list(tree.resolve("lib/nvmf-offload"))) {
            List<String> names = jars.map(p -> p.getFileName().toString()).toList();
            for (String prefix : List.of("offload-ctl-", "verbs-binding-", "nvme-backend-", "picocli-", "jackson-databind-")) {
                assertTrue(names.stream().anyMatch(n -> n.startsWith(prefix) && n.endsWith(".jar")), prefix + "*.jar not in " + names);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theUnitServesTheEtcConfigAndReloadsWithApply() throws IOException {
        String unit = Files.readString(tree.resolve("lib/systemd/system/nvmf-offload.service"));
        assertTrue(unit.contains("ExecStart=/usr/local/bin/offload-ctl serve --socket /run/nvmf-offload/ctl.sock /etc/nvmf-offload/config.json"), unit);
        assertTrue(unit.contains("ExecReload=/usr/local/bin/offload-ctl apply --socket /run/nvmf-offload/ctl.sock /etc/nvmf-offload/config.json"), unit);
        assertTrue(unit.contains("RuntimeDirectory=nvmf-offload") && unit.contains("Restart=on-failure"), unit);
    }

    @Test
    void theLauncherRunsFromTheUnpackedTreeWithAMinimalEnvironment() throws Exception {
        Map<String, String> env = minimalEnv();
        Path bin = tree.resolve("bin/offload-ctl");
        Run version = run(work, env, bin.toString(), "--version");
        assertEquals(0, version.exit(), version.out());
        assertTrue(version.out().startsWith("offload-ctl ") && version.out().contains("Java 25"), version.out());

        Run help = run(work, env, bin.toString(), "--help");
        assertEquals(0, help.exit(), help.out());
        assertTrue(help.out().startsWith("Usage: offload-ctl "), help.out());

        Run validate = run(work, env, bin.toString(), "validate", tree.resolve("etc/nvmf-offload/config.json.example").toString());
        assertEquals(0, validate.exit(), validate.out());
        assertTrue(validate.out().contains("is valid"), validate.out());
    }

    @Test
    void theLauncherFindsItsJarsThroughASymlinkAsInstalledInBin() throws Exception {
        Path link = Files.createDirectories(work.resolve("usr/local/bin")).resolve("offload-ctl");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, tree.resolve("bin/offload-ctl"));
        Run version = run(work, minimalEnv(), link.toString(), "--version");
        assertEquals(0, version.exit(), version.out());
        assertTrue(version.out().startsWith("offload-ctl "), version.out());
    }
}
