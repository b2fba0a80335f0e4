package io.nvmfoffload.ctl.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nvmfoffload.ctl.config.ConfigReader;
import io.nvmfoffload.ctl.config.ConfigService;
import io.nvmfoffload.ctl.config.TargetControl;
import io.nvmfoffload.target.Target;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsServerTest {
    @Test
    void countersAreServedInPrometheusTextFormatOnLoopback() throws Exception {
        Target target = new Target();
        ConfigService service = new ConfigService(TargetControl.detached(target));
        service.apply(ConfigReader.parse("{\"subsystems\": [{\"nqn\": \"nqn.2026-11.io.test:m\", \"namespaces\": "
                + "[{\"nsid\": 7, \"store\": {\"type\": \"ram\", \"size\": 4096}}]}]}"));
        target.subsystem("nqn.2026-11.io.test:m").namespace(7).counters().readCommands.add(5);
        TargetStatus status = new TargetStatus(service, null, OffloadStateSource.NOT_REPORTED);
        try (MetricsServer m = MetricsServer.start(0, () -> status.stats(true))) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain; version=0.0.4"));
            assertTrue(r.body().contains("nvmf_offload_namespace_read_commands_total{subsystem=\"nqn.2026-11.io.test:m\",nsid=\"7\"} 5\n"),
                    r.body());
            assertTrue(r.body().contains("# TYPE nvmf_offload_namespace_read_commands_total counter"), r.body());
            assertTrue(r.body().contains("nvmf_offload_subsystem_offload_configured{subsystem=\"nqn.2026-11.io.test:m\",provider=\"none\"} 0"),
                    r.body());
        }
    }

    @Test
    void theEngineCountersOfAnOffloadedNamespaceAreInStatsAndPrometheusWithTheirProvider() throws Exception {
        Target target = new Target();
        ConfigService service = new ConfigService(TargetControl.detached(target));
        service.apply(ConfigReader.parse("{\"offload_provider\": {\"name\": \"emulated\", \"profile\": \"connectx5-class\"}, "
                + "\"subsystems\": [{\"nqn\": \"nqn.2026-11.io.test:o\", \"offload\": {\"enabled\": true}, \"namespaces\": "
                + "[{\"nsid\": 1, \"store\": {\"type\": \"ram\", \"size\": 4096}}]}, "
                + "{\"nqn\": \"nqn.2026-11.io.test:s\", \"namespaces\": [{\"nsid\": 1, \"store\": {\"type\": \"ram\", \"size\": 4096}}]}]}"));
        ObjectMapper json = new ObjectMapper();
        JsonNode live = json.readTree("[{\"provider\": \"emulated\", \"port\": 1, \"nsid\": 1, \"route\": \"offloaded\", "
                + "\"counters\": {\"read_commands\": 42, \"write_commands\": 7, \"backend_error_commands\": 1}}]");
        // Only the offloaded subsystem may be asked: a source asked for the other one fails the test.
        TargetStatus status = new TargetStatus(service, null, nqn -> {
            assertEquals("nqn.2026-11.io.test:o", nqn);
            return live;
        });
        JsonNode stats = status.stats(false);
        assertEquals(42, stats.path("subsystems").get(0).path("offload_live").get(0).path("counters").path("read_commands").asLong());
        assertTrue(stats.path("subsystems").get(1).path("offload_live").isMissingNode(), stats.toString());
        String text = MetricsServer.render(stats);
        assertTrue(text.contains("nvmf_offload_engine_read_commands_total{subsystem=\"nqn.2026-11.io.test:o\",nsid=\"1\",port=\"1\","
                + "provider=\"emulated\"} 42\n"), text);
        assertTrue(text.contains("nvmf_offload_engine_backend_error_commands_total{subsystem=\"nqn.2026-11.io.test:o\",nsid=\"1\",port=\"1\","
                + "provider=\"emulated\"} 1\n"), text);
        assertTrue(text.contains("# TYPE nvmf_offload_engine_write_commands_total counter"), text);
    }
}
