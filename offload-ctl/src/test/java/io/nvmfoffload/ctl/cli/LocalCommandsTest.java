package io.nvmfoffload.ctl.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands that need no running target. */
class LocalCommandsTest {
    @TempDir
    Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = OffloadCtl.commandLine(args);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void validateAcceptsTheQuickstartAndSummarisesIt() throws Exception {
        Path file = dir.resolve("q.json");
        Files.writeString(file, ServeCommand.quickstart().toString());
        assertEquals(0, run("validate", file.toString()), err.toString());
        assertTrue(out.toString().contains("is valid: 0 host(s), 1 subsystem(s), 1 namespace(s), 1 port(s), offload provider none"),
                out.toString());
    }

    @Test
    void validateAndApplyRefuseAKeyGivenTwiceNamingItsPointerWithoutATarget() throws Exception {
        Path file = dir.resolve("twice.json");
        Files.writeString(file, ServeCommand.quickstart().toString().replaceFirst("\\{", "{\"subsystems\": [],"));
        assertEquals(1, run("validate", file.toString()));
        assertTrue(err.toString().contains("/subsystems: key \"subsystems\" appears twice in this object at line 1, column"),
                err.toString());
        assertEquals(1, run("apply", file.toString(), "--socket", dir.resolve("none.sock").toString()),
                "refused before connecting: " + err);
        assertTrue(err.toString().contains("/subsystems: key \"subsystems\" appears twice"), err.toString());
    }

    @Test
    void schemaPrintsTheShippedSchemaAndWritesItToAFile() throws Exception {
        String shipped = io.nvmfoffload.ctl.config.ConfigSchema.text();
        assertEquals(0, run("schema"), err.toString());
        assertEquals(shipped, out.toString());
        assertTrue(shipped.contains("\"$id\": \"urn:nvmf-offload:offload-ctl-config:1\""), "the $id save writes as \"$schema\"");
        Path file = dir.resolve("offload-ctl-config.schema.json");
        assertEquals(0, run("schema", file.toString()), err.toString());
        assertEquals(shipped, Files.readString(file));
    }

    @Test
    void aMissingConfigurationSaysSo() {
        Path missing = dir.resolve("missing.json");
        assertEquals(1, run("validate", missing.toString()));
        assertTrue(err.toString().contains("cannot read configuration " + missing + ": no such file or directory"), err.toString());
        assertTrue(!err.toString().contains(missing + ": " + missing), err.toString());
    }

    @Test
    void validateWithJsonPrintsTheErrorsAsJson() throws Exception {
        Path file = dir.resolve("broken.json");
        Files.writeString(file, "{\"ports\": [{\"id\": 0, \"transport\": \"tcp\", \"address\": \"127.0.0.1\"}]}");
        assertEquals(1, run("validate", file.toString(), "--json"));
        var error = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString()).path("error");
        assertEquals("/ports/0/id", error.path("errors").get(0).path("pointer").asText(), out.toString());
        assertEquals(1, error.path("exit_code").asInt());
    }

    @Test
    void serveRefusesABrokenConfigBeforeListeningAndNamesThePointer() throws Exception {
        Path file = dir.resolve("broken.json");
        Files.writeString(file, "{\"ports\": [{\"id\": 1, \"transport\": \"tcp\", \"address\": \"127.0.0.1\", \"service_id\": 0}]}");
        assertEquals(1, run("serve", file.toString(), "--no-socket"));
        assertTrue(err.toString().contains("/ports/0/service_id: 0 is out of range: expected 1 to 65535"), err.toString());
    }

    @Test
    void quickstartOptionsWithAConfigAreAUsageError() throws Exception {
        Path file = dir.resolve("q.json");
        Files.writeString(file, "{}");
        assertEquals(2, run("serve", file.toString(), "--address", "10.0.0.1"));
        assertTrue(err.toString().contains("adjust the quickstart"), err.toString());
    }

    @Test
    void metricsOptionsAreCheckedBeforeAnythingListens() {
        assertEquals(2, run("serve", "--no-socket", "--metrics-address", "127.0.0.1"));
        assertTrue(err.toString().contains("--metrics-address needs --metrics-port"), err.toString());
        assertEquals(2, run("serve", "--no-socket", "--metrics-port", "65536"));
        assertTrue(err.toString().contains("--metrics-port 65536 is not a TCP port (0 to 65535)"), err.toString());
    }

    @Test
    void capsOfAProfileSaysItIsAModel() {
        assertEquals(0, run("caps", "--profile", "tiny", "--json"), err.toString());
        assertTrue(out.toString().contains("\"provider\" : \"emulated\""), out.toString());
        assertTrue(out.toString().contains("not read from hardware"), out.toString());
        assertTrue(out.toString().contains("\"max_srq_namespaces\" : 2"), out.toString());
    }

    @Test
    void capsOfAMissingDeviceFailsNamingIt() {
        assertEquals(1, run("caps", "nosuchdev0"));
        assertTrue(err.toString().contains("no RDMA device nosuchdev0"), err.toString());
    }

    @Test
    void nvmetcliImportWritesAValidDocumentAndReportsWhatItLeftOut() throws Exception {
        Path in = dir.resolve("nvmet.json");
        Files.writeString(in, """
                {"hosts": [], "subsystems": [{"nqn": "nqn.2014-08.org.example:s", "attr": {"allow_any_host": "1", "qid_max": "8"},
                  "allowed_hosts": [], "namespaces": [{"nsid": 1, "enable": 1, "device": {"path": "/srv/a.img"}}]}],
                 "ports": [{"portid": 1, "addr": {"trtype": "tcp", "adrfam": "ipv4", "traddr": "0.0.0.0", "trsvcid": "4420"},
                  "referrals": [{"portid": 2}], "subsystems": ["nqn.2014-08.org.example:s"]}]}
                """);
        Path outFile = dir.resolve("ours.json");
        assertEquals(1, run("import-nvmetcli", in.toString(), "-o", outFile.toString(), "--strict"));
        assertTrue(err.toString().contains(in + "#/subsystems/0/attr/qid_max: "), err.toString());
        assertTrue(err.toString().contains(in + "#/ports/0/referrals: "), err.toString());
        assertEquals(0, run("validate", outFile.toString()), err.toString());
    }
}
