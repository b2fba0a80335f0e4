package io.nvmfoffload.examples;

import io.nvmfoffload.ctl.config.ConfigReader;
import io.nvmfoffload.ctl.config.ConfigService;
import io.nvmfoffload.ctl.config.ConfigWriter;
import io.nvmfoffload.ctl.config.TargetConfig;
import io.nvmfoffload.ctl.config.TargetControl;
import io.nvmfoffload.ctl.rpc.ManagedTarget;
import io.nvmfoffload.ctl.rpc.OffloadStateSource;
import io.nvmfoffload.nvme.store.NamespaceStore;
import io.nvmfoffload.nvmf.Subsystem;
import io.nvmfoffload.nvmf.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every example config validates and applies, and the verbs program runs. */
class ExamplesTest {
    private static final Path CONFIGS = Path.of("configs");

    @Test
    void quickstartIsWhatServeWithoutConfigServesAndItServesOverTcp() throws Exception {
        byte[] file = Files.readAllBytes(CONFIGS.resolve("quickstart.json"));
        try (InputStream embedded = ConfigReader.class.getResourceAsStream("quickstart.json")) {
            assertNotNull(embedded, "offload-ctl embeds the quickstart");
            assertArrayEquals(file, embedded.readAllBytes(), "the embedded quickstart is this file");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String doc = new String(file, StandardCharsets.UTF_8).replace("\"service_id\": 4420", "\"service_id\": " + port)
                .replace("256MiB", "1MiB");
        try (ManagedTarget t = ManagedTarget.start(ConfigReader.read(doc), OffloadStateSource.NOT_REPORTED);
             Socket host = new Socket("127.0.0.1", port)) {
            assertTrue(host.isConnected(), "the quickstart's port listens");
            assertEquals(1, t.server().target().subsystem("nqn.2026-11.io.nvmf-offload:quickstart").namespaces().size());
        }
    }

    @Test
    void emulatedOffloadConfigAsksForOffloadWithinTheProfile() {
        TargetConfig config = ConfigReader.read(CONFIGS.resolve("emulated-offload.json"));
        assertEquals("connectx5-class", config.offloadProfile().name());
        Target target = new Target();
        ConfigService service = new ConfigService(TargetControl.detached(target));
        service.apply(config);
        Subsystem offloaded = target.subsystem("nqn.2026-11.io.nvmf-offload:offloaded");
        assertEquals(16L << 20, offloaded.offload().stagingBufferBytes());
        assertTrue(target.subsystem("nqn.2026-11.io.nvmf-offload:software").offload() == null);
        assertTrue(target.isExposed(1, offloaded.nqn()));
        assertEquals("emulated", service.control().provider().name());
    }

    @Test
    void fileBackedConfigCreatesItsFilesAndKeepsTheFixedIdentity(@TempDir Path dir) throws Exception {
        String doc = Files.readString(CONFIGS.resolve("file-multi-namespace.json")).replace("/var/lib/nvmf-offload/", dir + "/");
        Target target = new Target();
        ConfigService service = new ConfigService(TargetControl.detached(target));
        service.apply(ConfigReader.read(doc));
        Subsystem s = target.subsystem("nqn.2026-11.io.nvmf-offload:files");
        assertEquals(3, s.namespaces().size());
        assertTrue(Files.exists(dir.resolve("ns1.img")) && Files.exists(dir.resolve("ns3.img")));
        NamespaceStore ns3 = s.namespace(3).store();
        assertEquals(512, ns3.blockSize());
        assertEquals("7d0c8a2e-3b4f-4a1d-9c8e-5f6a7b8c9d0e", ns3.identity().uuid().toString());
        assertTrue(service.plan(ConfigWriter.toJson(ConfigReader.read(doc))).isEmpty(), "re-applying changes nothing");
        service.clear();
    }

    @Test
    void verbsProgramListsDevicesOrSaysWhyThereAreNone() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int devices = DeviceOffloadCaps.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        if (devices == 0) {
            assertTrue(out.startsWith("no RDMA"), out);
        } else {
            assertEquals(devices, out.lines().filter(l -> l.contains("NVMf offload provider")).count(), out);
        }
    }
}
