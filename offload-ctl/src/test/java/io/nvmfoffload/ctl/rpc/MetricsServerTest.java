package io.nvmfoffload.ctl.rpc;

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
}
