package io.nvmfoffload.ctl.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nvmfoffload.ctl.config.ConfigReader;
import io.nvmfoffload.ctl.rpc.ManagedTarget;
import io.nvmfoffload.ctl.rpc.OffloadStateSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code OffloadCtl.main} in a fresh JVM, as operators run it: client commands end with
 * {@code Runtime.halt}, so their exit codes and their whole output must survive that.
 */
class OffloadCtlMainTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {}

    private static Run main(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), OffloadCtl.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "offload-ctl did not exit");
        return new Run(p.exitValue(), out, err);
    }

    @Test
    void clientCommandPrintsItsWholeOutputBeforeExiting() throws Exception {
        ObjectNode doc = (ObjectNode) ServeCommand.quickstart();
        ((ObjectNode) doc.path("ports").get(0)).put("service_id", CliAgainstRunningTargetTest.freePort());
        ((ObjectNode) doc.path("subsystems").get(0).path("namespaces").get(0).path("store")).put("size", "1MiB");
        try (ManagedTarget target = ManagedTarget.start(ConfigReader.read(doc), OffloadStateSource.NOT_REPORTED)
                .serveRpc(dir.resolve("ctl.sock"))) {
            Run run = main("status", "--json", "--socket", target.socket().toString());
            assertEquals(0, run.exit(), run.err());
            assertTrue(run.out().strip().endsWith("}"), "output cut short: " + run.out());
            assertTrue(run.out().contains("nqn.2026-11.io.nvmf-offload:quickstart"), run.out());
        }
    }

    @Test
    void optionsBeforeTheCommandReachTheClientCommand() throws Exception {
        ObjectNode doc = (ObjectNode) ServeCommand.quickstart();
        ((ObjectNode) doc.path("ports").get(0)).put("service_id", CliAgainstRunningTargetTest.freePort());
        ((ObjectNode) doc.path("subsystems").get(0).path("namespaces").get(0).path("store")).put("size", "1MiB");
        try (ManagedTarget target = ManagedTarget.start(ConfigReader.read(doc), OffloadStateSource.NOT_REPORTED)
                .serveRpc(dir.resolve("ctl.sock"))) {
            Run run = main("--socket", target.socket().toString(), "--json", "status");
            assertEquals(0, run.exit(), run.err());
            assertTrue(run.out().strip().endsWith("}") && run.out().contains("quickstart"), run.out());
        }
    }

    @Test
    void unreachableTargetExitsWithItsOwnCodeAndSaysWhere() throws Exception {
        Path socket = dir.resolve("nobody.sock");
        Run run = main("host", "list", "--socket", socket.toString());
        assertEquals(OffloadCtl.EXIT_UNREACHABLE, run.exit(), run.err());
        assertTrue(run.err().contains(socket.toString()), run.err());
    }

    @Test
    void badCommandLineExitsWithTwo() throws Exception {
        Run run = main("host", "list", "--no-such-option");
        assertEquals(2, run.exit(), run.err());
        assertTrue(run.err().contains("--no-such-option"), run.err());
    }
}
