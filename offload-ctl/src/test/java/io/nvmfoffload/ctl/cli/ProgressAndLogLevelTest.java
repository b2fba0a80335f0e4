package io.nvmfoffload.ctl.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nvmfoffload.ctl.config.ConfigReader;
import io.nvmfoffload.ctl.rpc.ManagedTarget;
import io.nvmfoffload.ctl.rpc.OffloadStateSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** In a fresh JVM, as operators run it: progress of a long apply on stderr only, and serve's log level and first line. */
class ProgressAndLogLevelTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {}

    private static List<String> java(String... props) {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED"));
        cmd.addAll(List.of(props));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), OffloadCtl.class.getName()));
        return cmd;
    }

    private static Run run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "offload-ctl did not exit");
        return new Run(p.exitValue(), out, err);
    }

    private static ObjectNode smallQuickstart() throws Exception {
        ObjectNode doc = (ObjectNode) ServeCommand.quickstart();
        ((ObjectNode) doc.path("ports").get(0)).put("service_id", CliAgainstRunningTargetTest.freePort());
        ((ObjectNode) doc.path("subsystems").get(0).path("namespaces").get(0).path("store")).put("size", "1MiB");
        return doc;
    }

    @Test
    void aLongApplyReportsProgressOnStderrWithVerboseAndKeepsTheJsonOnStdoutWhole() throws Exception {
        ObjectNode doc = smallQuickstart();
        try (ManagedTarget target = ManagedTarget.start(ConfigReader.read(doc), OffloadStateSource.NOT_REPORTED)
                .serveRpc(dir.resolve("ctl.sock"))) {
            ArrayNode hosts = (ArrayNode) doc.get("hosts");
            for (int i = 0; i < 300; i++) {
                hosts.addObject().put("nqn", "nqn.2014-08.org.example:host-" + i);
            }
            Path file = dir.resolve("many.json");
            Files.writeString(file, doc.toPrettyString());
            String socket = target.socket().toString();

            List<String> apply = java();
            apply.addAll(List.of("-vv", "--json", "apply", file.toString(), "--socket", socket));  // -vv: every step
            Run r = run(apply);
            assertEquals(0, r.exit(), r.err());
            assertEquals(300, new ObjectMapper().readTree(r.out()).path("changes").asInt(), "stdout is the JSON result alone: " + r.out());
            assertTrue(r.err().contains("apply: 1 of 300 steps"), r.err());
            assertTrue(r.err().lines().anyMatch(l -> l.startsWith("apply: 300 of 300 steps") && l.endsWith("(done)")), r.err());

            // Without -v, and stderr a pipe rather than a terminal: no progress lines.
            List<String> clear = java();
            clear.addAll(List.of("clear", "--yes", "--socket", socket));
            Run c = run(clear);
            assertEquals(0, c.exit(), c.err());
            assertFalse(c.err().contains("steps"), c.err());
            assertTrue(c.out().startsWith("applied "), c.out());
        }
    }

    /** Starts serve, waits for its banner on stdout, stops it with SIGTERM; returns its stderr. */
    private Run serve(String... args) throws Exception {
        List<String> cmd = java();
        cmd.addAll(List.of(args));
        Path err = Files.createTempFile(dir, "serve", ".err");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        p.getOutputStream().close();
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                out.append(line).append('\n');
                if (line.startsWith("RDMA devices:")) {
                    p.toHandle().destroy(); // SIGTERM, as systemd stops it; Process.destroy would close the pipe being read
                }
            }
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "serve did not stop");
        return new Run(p.exitValue(), out.toString(), Files.readString(err));
    }

    @Test
    void serveSaysWhatItServesInItsFirstLogLineAndQuietSilencesInfo() throws Exception {
        assumeFalse(Files.exists(ServeCommand.DEFAULT_CONFIG), "this machine has a default configuration");
        String port = String.valueOf(CliAgainstRunningTargetTest.freePort());
        Run r = serve("serve", "--port", port, "--ram-mib", "1", "--no-socket");
        // 128 + SIGTERM: the JVM's exit status after a signal, whatever its hooks do (the unit's SuccessExitStatus=143).
        assertEquals(143, r.exit(), r.err());
        String first = r.err().lines().findFirst().orElse("");
        assertTrue(first.contains("INFO io.nvmfoffload.ctl.cli.ServeCommand: serving the embedded quickstart (no CONFIG given and no "
                + ServeCommand.DEFAULT_CONFIG + ")"), r.err());
        assertTrue(r.err().contains("listening on"), r.err());

        Path file = dir.resolve("q.json");
        Files.writeString(file, smallQuickstart().toPrettyString());
        Run q = serve("-q", "serve", file.toString(), "--no-socket");
        assertEquals(143, q.exit(), q.err());
        assertTrue(q.out().contains("serving nqn.2026-11.io.nvmf-offload:quickstart on tcp"), q.out());
        assertFalse(q.err().contains("INFO"), "-q logs warnings and errors only:\n" + q.err());
    }
}
