package io.nvmfoffload.ctl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nvmfoffload.ctl.config.ConfigReader;
import io.nvmfoffload.ctl.rpc.ManagedTarget;
import io.nvmfoffload.ctl.rpc.OffloadStateSource;
import io.nvmfoffload.nvmf.transport.tcp.TcpTransportOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI's commands against a serving target over its management socket, in one process. */
class CliAgainstRunningTargetTest {
    private static final String HOST = "nqn.2014-08.org.nvmexpress:uuid:22222222-2222-4222-8222-222222222222";
    private static final String SUB = "nqn.2026-11.io.test:cli";

    @TempDir
    Path dir;
    private ManagedTarget target;
    private String socket;
    private StringWriter out;
    private StringWriter err;

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @BeforeEach
    void serve() throws Exception {
        ObjectNode doc = (ObjectNode) ServeCommand.quickstart();
        ((ObjectNode) doc.path("ports").get(0)).put("service_id", freePort());
        ((ObjectNode) doc.path("subsystems").get(0).path("namespaces").get(0).path("store")).put("size", "1MiB");
        target = ManagedTarget.start(ConfigReader.read(doc), OffloadStateSource.NOT_REPORTED).serveRpc(dir.resolve("ctl.sock"));
        socket = target.socket().toString();
    }

    @AfterEach
    void stop() {
        target.close();
    }

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cli = OffloadCtl.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] withSocket = java.util.Arrays.copyOf(args, args.length + 2);
        withSocket[args.length] = "--socket";
        withSocket[args.length + 1] = socket;
        return cli.execute(withSocket);
    }

    /** As given: no --socket added at the end. */
    private int runAsGiven(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cli = OffloadCtl.commandLine(args);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private JsonNode statusWithoutGeneration() throws Exception {
        assertEquals(0, run("status", "--json"), err.toString());
        ObjectNode s = (ObjectNode) new ObjectMapper().readTree(out.toString());
        // The generation counts every change ever made, so it differs after any clear and re-apply.
        s.remove("discovery_generation");
        return s;
    }

    private void buildSomeState() {
        assertEquals(0, run("host", "add", HOST), err.toString());
        assertEquals(0, run("subsystem", "add", SUB, "--serial", "CLI1", "--model", "cli test"), err.toString());
        assertEquals(0, run("subsystem", "allow-host", SUB, HOST), err.toString());
        assertEquals(0, run("namespace", "add", SUB, "1", "--ram", "1MiB"), err.toString());
        assertEquals(0, run("namespace", "add", SUB, "2", "--ram", "512KiB", "--block-size", "512", "--offload-cmd-tmo-us", "5000000"),
                err.toString());
        assertEquals(0, run("offload", "provider", "emulated"), err.toString());
        assertEquals(0, run("offload", "set", SUB, "--staging-buffer-size", "8MiB"), err.toString());
    }

    @Test
    void saveClearApplyRestoresAnIdenticalStatus() throws Exception {
        buildSomeState();
        JsonNode before = statusWithoutGeneration();
        Path saved = dir.resolve("saved.json");
        assertEquals(0, run("save", saved.toString()), err.toString());
        assertEquals(0, run("clear", "--yes"), err.toString());
        assertNotEquals(before, statusWithoutGeneration());
        assertEquals(0, run("apply", saved.toString()), err.toString());
        assertEquals(before, statusWithoutGeneration());
        assertEquals(0, run("plan", saved.toString()), err.toString());
        assertTrue(out.toString().contains("no changes"), out.toString());
    }

    /** Runs clear with {@code terminal} as the terminal it may ask on. */
    private int clear(ClearCommand.Terminal terminal, String... options) {
        out = new StringWriter();
        err = new StringWriter();
        String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("clear", "--socket", socket),
                java.util.Arrays.stream(options)).toArray(String[]::new);
        CommandLine cli = OffloadCtl.commandLine(args);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        ((ClearCommand) cli.getSubcommands().get("clear").getCommand()).terminal = terminal;
        return cli.execute(args);
    }

    @Test
    void clearAsksOnATerminalAndAnythingButYesKeepsEverything() throws Exception {
        JsonNode before = statusWithoutGeneration();
        java.util.List<String> asked = new java.util.ArrayList<>();
        assertEquals(1, clear(q -> {
            asked.add(q);
            return "n";
        }));
        assertTrue(asked.getFirst().contains(socket) && asked.getFirst().endsWith("[y/N] "), asked.toString());
        assertTrue(err.toString().contains("nothing was removed"), err.toString());
        assertEquals(1, clear(q -> ""), "Enter alone is no");
        assertEquals(before, statusWithoutGeneration());
        assertEquals(0, clear(q -> "yes"), err.toString());
        assertTrue(statusWithoutGeneration().path("config").path("subsystems").isEmpty());
    }

    @Test
    void clearDoesNotAskWithYesOrWithoutATerminal() throws Exception {
        assertEquals(0, clear(q -> {
            throw new AssertionError("asked despite --yes: " + q);
        }, "--yes"), err.toString());
        assertTrue(statusWithoutGeneration().path("config").path("subsystems").isEmpty());
        assertEquals(0, run("subsystem", "add", SUB), err.toString());
        assertEquals(0, clear(q -> null), "no terminal: as before, " + err);
        assertTrue(statusWithoutGeneration().path("config").path("subsystems").isEmpty());
    }

    @Test
    void statusNamesTheOffloadProviderOfEverySubsystem() throws Exception {
        buildSomeState();
        JsonNode offload = statusWithoutGeneration().path("offload");
        assertEquals("emulated", offload.path("provider").asText());
        assertTrue(offload.path("note").asText().contains("not hardware"));
        for (JsonNode s : offload.path("subsystems")) {
            assertEquals("emulated", s.path("provider").asText());
        }
        assertEquals(0, run("status"), err.toString());
        assertTrue(out.toString().contains("offload: configured, provider emulated"), out.toString());
        assertTrue(out.toString().contains("512-byte blocks, uuid ") && out.toString().contains(", offload_cmd_tmo_us 5000000"),
                out.toString());
        assertEquals("connectx5-class", target.server().offloadProfile().name(), "the server has the provider's device profile");
    }

    @Test
    void aRefusedObjectCommandExitsOneAndSaysWhere() {
        buildSomeState();
        assertEquals(1, run("host", "remove", HOST));
        assertTrue(err.toString().contains("/subsystems/") && err.toString().contains("allowed_hosts"), err.toString());
        assertTrue(err.toString().contains("host " + HOST + " is in use: subsystem " + SUB + " allows it"), err.toString());
        assertEquals(1, run("namespace", "add", SUB, "1", "--ram", "1MiB"));
        assertTrue(err.toString().contains("duplicate nsid 1"), err.toString());
    }

    @Test
    void aSubsystemAPortExposesIsInUseNamingThePort() {
        assertEquals(1, run("subsystem", "remove", "nqn.2026-11.io.nvmf-offload:quickstart"));
        assertTrue(err.toString().contains("/ports/0/subsystems/0: subsystem nqn.2026-11.io.nvmf-offload:quickstart is in use: port 1 "
                + "exposes it; unlink it there first"), err.toString());
    }

    @Test
    void aFailingCommandWithJsonPrintsItsErrorsAsJsonOnStandardOutput() throws Exception {
        buildSomeState();
        assertEquals(1, run("host", "remove", HOST, "--json"));
        JsonNode error = new ObjectMapper().readTree(out.toString()).path("error");
        assertEquals(1, error.path("exit_code").asInt());
        assertEquals("offload-ctl host remove", error.path("command").asText());
        assertTrue(error.path("errors").get(0).path("pointer").asText().matches("/subsystems/\\d+/allowed_hosts/0"), error.toString());
        assertTrue(error.path("errors").get(0).path("message").asText().contains("is in use"), error.toString());
    }

    @Test
    void fileErrorsSayTheirCause() {
        Path nowhere = dir.resolve("no-such-dir");
        assertEquals(1, run("save", nowhere.resolve("x.json").toString()));
        assertTrue(err.toString().contains("cannot write " + nowhere.resolve("x.json") + ": no such file or directory"), err.toString());
        assertEquals(1, run("namespace", "add", "nqn.2026-11.io.nvmf-offload:quickstart", "2", "--file",
                nowhere.resolve("a.img").toString(), "--create", "1MiB"));
        assertTrue(err.toString().contains("cannot open file store " + nowhere.resolve("a.img") + ": no such file or directory"),
                err.toString());
        assertEquals(1, run("namespace", "add", "nqn.2026-11.io.nvmf-offload:quickstart", "2", "--file", dir.resolve("b.img").toString()));
        assertTrue(err.toString().contains("does not exist; give a size to create it with (create_size in the configuration, "
                + "--create SIZE with 'namespace add')"), err.toString());
        assertTrue(!err.toString().contains("createIfMissing"), err.toString());
    }

    @Test
    void offloadRecoverOfASubsystemWithoutLiveOffloadSaysSo() {
        buildSomeState();
        // configured for offload, but no RDMA port here has created its offload context
        assertEquals(1, run("offload", "recover", SUB));
        assertTrue(err.toString().contains("subsystem " + SUB + " is not offloaded"), err.toString());
        assertEquals(1, run("offload", "recover", SUB, "--port", "1"));
        assertTrue(err.toString().contains("is not offloaded on port 1"), err.toString());
    }

    @Test
    void aFailedRecoverOnATcpOnlyTargetLeavesTheProviderFreeToChange() throws Exception {
        assertEquals(0, run("offload", "provider", "emulated"), err.toString());
        assertEquals(1, run("offload", "recover", "nqn.2026-11.io.nvmf-offload:quickstart"));
        assertTrue(err.toString().contains("is not offloaded"), err.toString());
        assertEquals(0, run("offload", "provider", "none"), err.toString());
        assertEquals("none", statusWithoutGeneration().path("config").path("offload_provider").path("name").asText());
    }

    @Test
    void aProviderChangeTheServerRefusesIsNotSavedOrShown() throws Exception {
        assertEquals(0, run("offload", "provider", "emulated"), err.toString());
        target.server().offloads(); // as the first RDMA port does: the provider is fixed from then on
        Path before = dir.resolve("before.json");
        assertEquals(0, run("save", before.toString()), err.toString());
        assertEquals(1, run("offload", "provider", "none"));
        assertTrue(err.toString().contains("the target is as it was"), err.toString());
        Path after = dir.resolve("after.json");
        assertEquals(0, run("save", after.toString()), err.toString());
        assertEquals(Files.readString(before), Files.readString(after));
        assertEquals(0, run("offload", "show"), err.toString());
        assertTrue(out.toString().startsWith("provider: emulated"), out.toString());
    }

    @Test
    void aBrokenFileIsRefusedWithPointersAndNothingApplied() throws Exception {
        JsonNode before = statusWithoutGeneration();
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"subsystems\": [{\"nqn\": \"nqn.2026-11.io.test:x\", \"namespaces\": [{\"nsid\": 0}]}]}");
        assertEquals(1, run("apply", broken.toString()));
        assertTrue(err.toString().contains("/subsystems/0/namespaces/0/nsid"), err.toString());
        assertTrue(err.toString().contains("/subsystems/0/namespaces/0/store"), err.toString());
        assertEquals(before, statusWithoutGeneration());
    }

    @Test
    void aDocumentWithAListGivenTwiceIsRefusedAndDoesNotWipeTheTarget() throws Exception {
        JsonNode before = statusWithoutGeneration();
        ObjectNode doc = (ObjectNode) before.path("config");
        Path file = dir.resolve("twice.json");
        // the second, empty "subsystems" used to win: applying this removed every subsystem
        Files.writeString(file, doc.toString().replaceFirst("}$", ", \"subsystems\": []}"));
        assertEquals(1, run("apply", file.toString()));
        assertTrue(err.toString().contains("/subsystems: key \"subsystems\" appears twice"), err.toString());
        assertEquals(before, statusWithoutGeneration());
    }

    @Test
    void socketAndJsonAreAcceptedBeforeTheCommand() throws Exception {
        assertEquals(0, runAsGiven("--socket", socket, "status"), err.toString());
        assertTrue(out.toString().contains("nqn.2026-11.io.nvmf-offload:quickstart"), out.toString());
        assertEquals(0, runAsGiven("--json", "--socket=" + socket, "subsystem", "list"), err.toString());
        assertEquals("nqn.2026-11.io.nvmf-offload:quickstart", new ObjectMapper().readTree(out.toString()).get(0).path("nqn").asText());
        assertEquals(1, runAsGiven("--socket", socket, "--json", "host", "remove", HOST));
        assertTrue(new ObjectMapper().readTree(out.toString()).path("error").path("message").asText().contains("no host"), out.toString());
        assertEquals(3, runAsGiven("--socket", dir.resolve("elsewhere.sock").toString(), "status", "--socket", socket.replace("ctl", "no")),
                "the command's own --socket wins");
    }

    @Test
    void noTargetOnTheSocketIsExitCodeThree() {
        socket = dir.resolve("nothing.sock").toString();
        assertEquals(3, run("status"));
        assertTrue(err.toString().contains("no target is running at"), err.toString());
    }

    @Test
    void eventsShowAppliedChangesAndTheAensTheyRaise() {
        assertEquals(0, run("events", "--new-only", "--count", "1", "--timeout", "1"));
        assertEquals(0, run("subsystem", "add", SUB), err.toString());
        assertEquals(0, run("namespace", "add", SUB, "1", "--ram", "64KiB"), err.toString());
        assertEquals(0, run("events", "--json", "--count", "100", "--timeout", "1"), err.toString());
        assertTrue(out.toString().contains("\"type\":\"namespace_changed\""), out.toString());
        assertTrue(out.toString().contains("\"type\":\"config_applied\""), out.toString());
    }

    @Test
    void statsCountPerNamespaceOnRequest() throws Exception {
        target.server().target().subsystem("nqn.2026-11.io.nvmf-offload:quickstart").namespace(1).counters().writeCommands.add(3);
        assertEquals(0, run("stats", "--json", "--include-statistics"), err.toString());
        JsonNode s = new ObjectMapper().readTree(out.toString());
        assertEquals(3, s.path("totals").path("write_commands").asLong());
        assertEquals(3, s.path("subsystems").get(0).path("namespaces").get(0).path("write_commands").asLong());
        assertEquals(0, run("stats", "--json"), err.toString());
        assertTrue(new ObjectMapper().readTree(out.toString()).path("subsystems").get(0).path("namespaces").isMissingNode());
    }

    @Test
    void aPortThatCannotListenRollsBackTheWholeApply() throws Exception {
        JsonNode before = statusWithoutGeneration();
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            ObjectNode doc = (ObjectNode) new ObjectMapper().readTree(before.path("config").toString());
            doc.withArray("hosts").addObject().put("nqn", HOST);
            doc.withArray("ports").addObject().put("id", 5).put("transport", "tcp").put("address", "127.0.0.1")
                    .put("service_id", taken.getLocalPort()).putArray("subsystems").add("nqn.2026-11.io.nvmf-offload:quickstart");
            Path file = dir.resolve("taken.json");
            Files.writeString(file, doc.toString());
            assertEquals(1, run("apply", file.toString()));
            assertTrue(err.toString().contains("add port") && err.toString().contains("rolled back"), err.toString());
        }
        assertEquals(before, statusWithoutGeneration(), "the host added before the failing port was removed again");
    }

    @Test
    void addingAPortStartsItsListenerAndRemovingItStopsIt() throws Exception {
        int port = freePort();
        assertEquals(0, run("port", "add", "9", "--transport", "tcp", "--address", "127.0.0.1", "--service-id", String.valueOf(port)),
                err.toString());
        try (var s = new java.net.Socket("127.0.0.1", port)) {
            assertTrue(s.isConnected());
        }
        assertEquals(0, run("port", "remove", "9"), err.toString());
        assertEquals(1, target.server().tcpListeners().size());
    }

    @Test
    void portAddSetsTheTransportsOptionsWhichStatusAndSaveShow() throws Exception {
        int port = freePort();
        assertEquals(0, run("port", "add", "9", "--transport", "tcp", "--address", "127.0.0.1", "--service-id", String.valueOf(port),
                "--arrival-spin-us", "0"), err.toString());
        assertEquals(new TcpTransportOptions(0), TcpTransportOptions.of(target.server().tcpListeners().stream()
                .filter(l -> l.port().id() == 9).findFirst().orElseThrow().port()), "the listener was made with the option");
        assertEquals(0, run("status"), err.toString());
        assertTrue(out.toString().contains("port 9: tcp 127.0.0.1:" + port + ", in-capsule 8192 bytes, max I/O 1 MiB, exposes []\n  tcp options: "
                + "arrival_spin_us 0\n"), out.toString());
        assertEquals(0, run("save"), err.toString());
        JsonNode saved = new ObjectMapper().readTree(out.toString()).path("ports");
        assertEquals("{\"arrival_spin_us\":200}", saved.get(0).path("tcp").toString(), "the quickstart's port: the default, written out");
        assertEquals("{\"arrival_spin_us\":0}", saved.get(1).path("tcp").toString());
    }

    @Test
    void anOptionOfTheOtherTransportIsACommandLineError() {
        assertEquals(2, run("port", "add", "9", "--transport", "tcp", "--address", "127.0.0.1", "--no-srq"));
        assertTrue(err.toString().contains("--no-srq is an option of rdma ports; this port's transport is tcp"), err.toString());
        assertEquals(1, target.server().tcpListeners().size(), "nothing added");
    }

    @Test
    void ulpDdpShowsTheEmulatedModelAndSetChangesOnlyTheNamedCapability() throws Exception {
        assertEquals(0, run("ulp-ddp", "show"), err.toString());
        assertTrue(out.toString().contains("provider emulated") && out.toString().contains("not hardware"), out.toString());
        assertTrue(out.toString().contains("nvme-tcp:          on"), out.toString());

        assertEquals(0, run("ulp-ddp", "set", "--nvme-tcp", "off"), err.toString());
        assertEquals(0, run("ulp-ddp", "show", "--json", "--include-statistics"), err.toString());
        JsonNode d = new ObjectMapper().readTree(out.toString()).path("listeners").get(0);
        assertEquals("[\"nvme-tcp-ddgst-rx\"]", d.path("active").toString(), "ddgst-rx kept: it was not in the mask");
        assertEquals("[\"nvme-tcp\",\"nvme-tcp-ddgst-rx\"]", d.path("hw").toString());
        assertEquals(0, d.path("statistics").path("rx-nvme-tcp-sk-add").asLong());
        assertTrue(d.path("model_statistics").has("copied-bytes"));
        assertEquals(2, target.server().tcpListeners().get(0).ddp().active(), "bit 1 alone: nvme-tcp-ddgst-rx");
    }

    @Test
    void ulpDdpRefusesABadSwitchAndAnUnknownPortSayingWhat() {
        assertEquals(2, run("ulp-ddp", "set", "--nvme-tcp", "maybe"));
        assertTrue(err.toString().contains("'maybe' is not on or off"), err.toString());
        assertEquals(2, run("ulp-ddp", "set"));
        assertTrue(err.toString().contains("give --nvme-tcp"), err.toString());
        assertEquals(1, run("ulp-ddp", "show", "--port", "77"));
        assertTrue(err.toString().contains("no NVMe/TCP listener on port 77"), err.toString());
    }

    @Test
    void ulpDdpCountersAreInStatusAndPrometheus() throws Exception {
        int port = target.server().tcpListeners().get(0).boundPort();
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            byte[] icReq = new byte[128];
            icReq[2] = (byte) 128;
            icReq[4] = (byte) 128;
            s.getOutputStream().write(icReq);
            assertEquals(128, s.getInputStream().readNBytes(128).length, "ICResp");
        }
        JsonNode ddp = statusWithoutGeneration().path("listeners").get(0).path("ulp_ddp");
        assertEquals("emulated", ddp.path("provider").asText());
        assertEquals(1, ddp.path("statistics").path("rx-nvme-tcp-sk-add").asLong(), ddp.toString());
        target.serveMetrics(0);
        var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + target.metricsPort() + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        int id = target.server().tcpListeners().get(0).port().id();
        // The quickstart's provider is none: the counters carry no provider label.
        assertTrue(r.body().contains("nvmf_offload_tcp_ddp_rx_nvme_tcp_sk_add_total{port=\"" + id + "\"} 1.0\n"), r.body());
        assertTrue(r.body().contains("# TYPE nvmf_offload_tcp_ddp_copied_bytes_total counter"), r.body());
    }
}
