package io.nvmfoffload.ctl.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.nvmfoffload.ctl.config.ConfigReader;
import io.nvmfoffload.ctl.config.ConfigService;
import io.nvmfoffload.ctl.config.TargetControl;
import io.nvmfoffload.nvmf.Target;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsServerTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Every family of the target's own, with its type: a rename shows here first. */
    private static final Map<String, String> FAMILIES = new TreeMap<>(Map.ofEntries(
            Map.entry("nvmf_offload_namespace_read_commands_total", "counter"),
            Map.entry("nvmf_offload_namespace_read_bytes_total", "counter"),
            Map.entry("nvmf_offload_namespace_write_commands_total", "counter"),
            Map.entry("nvmf_offload_namespace_write_bytes_total", "counter"),
            Map.entry("nvmf_offload_namespace_flush_commands_total", "counter"),
            Map.entry("nvmf_offload_namespace_error_commands_total", "counter"),
            Map.entry("nvmf_offload_engine_read_commands_total", "counter"),
            Map.entry("nvmf_offload_engine_read_bytes_total", "counter"),
            Map.entry("nvmf_offload_engine_write_commands_total", "counter"),
            Map.entry("nvmf_offload_engine_write_bytes_total", "counter"),
            Map.entry("nvmf_offload_engine_inline_write_commands_total", "counter"),
            Map.entry("nvmf_offload_engine_flush_commands_total", "counter"),
            Map.entry("nvmf_offload_engine_error_commands_total", "counter"),
            Map.entry("nvmf_offload_engine_backend_error_commands_total", "counter"),
            Map.entry("nvmf_offload_subsystem_controllers", "gauge"),
            Map.entry("nvmf_offload_subsystem_offload_configured", "gauge"),
            Map.entry("nvmf_offload_listener_connections", "gauge"),
            Map.entry("nvmf_offload_tcp_ddp_rx_nvme_tcp_sk_add_total", "counter"),
            Map.entry("nvmf_offload_tcp_ddp_rx_nvme_tcp_sk_add_fail_total", "counter"),
            Map.entry("nvmf_offload_tcp_ddp_rx_nvme_tcp_sk_del_total", "counter"),
            Map.entry("nvmf_offload_tcp_ddp_rx_nvme_tcp_setup_total", "counter"),
            Map.entry("nvmf_offload_tcp_ddp_rx_nvme_tcp_setup_fail_total", "counter"),
            Map.entry("nvmf_offload_tcp_ddp_rx_nvme_tcp_teardown_total", "counter"),
            Map.entry("nvmf_offload_tcp_ddp_rx_nvme_tcp_drop_total", "counter"),
            Map.entry("nvmf_offload_tcp_ddp_rx_nvme_tcp_resync_total", "counter"),
            Map.entry("nvmf_offload_tcp_ddp_rx_nvme_tcp_packets_total", "counter"),
            Map.entry("nvmf_offload_tcp_ddp_rx_nvme_tcp_bytes_total", "counter"),
            Map.entry("nvmf_offload_tcp_ddp_copied_bytes_total", "counter"),
            Map.entry("nvmf_offload_tcp_ddp_copied_pdus_total", "counter")));

    private static HttpResponse<String> send(String method, URI uri, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).method(method,
                method.equals("POST") || method.equals("PUT") ? BodyPublishers.ofString("x") : BodyPublishers.noBody());
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(MetricsServer m, String path) {
        return URI.create("http://127.0.0.1:" + m.port() + path);
    }

    private static Supplier<JsonNode> detached(String config) {
        Target target = new Target();
        ConfigService service = new ConfigService(TargetControl.detached(target));
        service.apply(ConfigReader.parse(config));
        TargetStatus status = new TargetStatus(service, null, OffloadStateSource.NOT_REPORTED);
        return () -> status.stats(true);
    }

    @Test
    void countersAreServedForPrometheusOnLoopbackWithJvmAndProcessMetrics() throws Exception {
        Target target = new Target();
        ConfigService service = new ConfigService(TargetControl.detached(target));
        service.apply(ConfigReader.parse("{\"subsystems\": [{\"nqn\": \"nqn.2026-11.io.test:m\", \"namespaces\": "
                + "[{\"nsid\": 7, \"store\": {\"type\": \"ram\", \"size\": 4096, \"block_size\": 512}}]}]}"));
        target.subsystem("nqn.2026-11.io.test:m").namespace(7).counters().readCommands.add(5);
        target.subsystem("nqn.2026-11.io.test:m").namespace(7).counters().readBlocks.add(3);
        TargetStatus status = new TargetStatus(service, null, OffloadStateSource.NOT_REPORTED);
        try (MetricsServer m = MetricsServer.start(0, () -> status.stats(true))) {
            assertTrue(m.address().getAddress().isLoopbackAddress(), m.address().toString());
            HttpResponse<String> r = send("GET", uri(m, "/metrics"));
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain; version=0.0.4"));
            String body = r.body();
            assertTrue(body.contains("nvmf_offload_namespace_read_commands_total{nsid=\"7\",subsystem=\"nqn.2026-11.io.test:m\"} 5.0\n"),
                    body);
            assertTrue(body.contains("nvmf_offload_namespace_read_bytes_total{nsid=\"7\",subsystem=\"nqn.2026-11.io.test:m\"} 1536.0\n"),
                    "3 blocks of 512 bytes:\n" + body);
            assertTrue(body.contains("# TYPE nvmf_offload_namespace_read_commands_total counter"), body);
            assertTrue(body.contains("nvmf_offload_subsystem_offload_configured{subsystem=\"nqn.2026-11.io.test:m\"} 0.0\n"),
                    "provider none: no provider label\n" + body);
            for (String jvm : new String[] {"# TYPE jvm_memory_used_bytes gauge", "# TYPE jvm_threads_current gauge",
                    "# TYPE jvm_gc_collection_seconds summary", "# TYPE process_cpu_seconds_total counter",
                    "# TYPE process_resident_memory_bytes gauge", "# TYPE process_open_fds gauge"}) {
                assertTrue(body.contains(jvm), jvm + " in\n" + body);
            }
            ExpositionCheck.check(body);
            ExpositionCheck.promtool(body);
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
                + "\"counters\": {\"read_commands\": 42, \"read_blocks\": 2, \"write_commands\": 7, \"backend_error_commands\": 1}}]");
        // Only the offloaded subsystem may be asked: a source asked for the other one fails the test.
        TargetStatus status = new TargetStatus(service, null, nqn -> {
            assertEquals("nqn.2026-11.io.test:o", nqn);
            return live;
        });
        JsonNode stats = status.stats(true);
        assertEquals(42, stats.path("subsystems").get(0).path("offload_live").get(0).path("counters").path("read_commands").asLong());
        assertTrue(stats.path("subsystems").get(1).path("offload_live").isMissingNode(), stats.toString());
        String text = MetricsServer.render(stats);
        String labels = "{nsid=\"1\",port=\"1\",provider=\"emulated\",subsystem=\"nqn.2026-11.io.test:o\"} ";
        assertTrue(text.contains("nvmf_offload_engine_read_commands_total" + labels + "42.0\n"), text);
        assertTrue(text.contains("nvmf_offload_engine_read_bytes_total" + labels + "8192.0\n"), "2 blocks of 4096 bytes:\n" + text);
        assertTrue(text.contains("nvmf_offload_engine_backend_error_commands_total" + labels + "1.0\n"), text);
        assertTrue(text.contains("# TYPE nvmf_offload_engine_write_commands_total counter"), text);
        assertTrue(text.contains("nvmf_offload_subsystem_offload_configured{provider=\"emulated\",subsystem=\"nqn.2026-11.io.test:o\"} 1.0\n"),
                text);
        ExpositionCheck.check(text);
    }

    @Test
    void everyFamilyHasItsOwnHelpAndTypeAndTheExpositionParses() throws Exception {
        try (ManagedTarget t = ManagedTarget.start(ConfigReader.read(quickstart("emulated")), OffloadStateSource.NOT_REPORTED)) {
            TargetStatus status = t.status();
            JsonNode live = new ObjectMapper().readTree("[{\"provider\": \"emulated\", \"port\": 1, \"nsid\": 1, \"counters\": {}}]");
            ObjectNode stats = status.stats(true);
            ((ObjectNode) stats.path("subsystems").get(0)).set("offload_live", live);
            String text = MetricsServer.render(stats);
            Map<String, String> help = ExpositionCheck.check(text);
            assertEquals(FAMILIES.keySet(), new TreeMap<>(help).keySet(), text);
            for (Map.Entry<String, String> f : FAMILIES.entrySet()) {
                assertTrue(text.contains("# TYPE " + f.getKey() + " " + f.getValue() + "\n"), f.getKey() + " is a " + f.getValue());
            }
            assertEquals(help.size(), help.values().stream().collect(Collectors.toSet()).size(), "every HELP text differs");
            ExpositionCheck.promtool(text);
        }
    }

    @Test
    void onlyGetAndHeadOfMetricsAnswer() throws Exception {
        try (MetricsServer m = MetricsServer.start(0, detached("{}"))) {
            for (String path : new String[] {"/", "/metrics/", "/metricsX", "/metrics/x", "/-/healthy", "/favicon.ico"}) {
                assertEquals(404, send("GET", uri(m, path)).statusCode(), "GET " + path);
                assertEquals(404, send("HEAD", uri(m, path)).statusCode(), "HEAD " + path);
                assertEquals(404, send("POST", uri(m, path)).statusCode(), "POST " + path);
            }
            for (String method : new String[] {"POST", "PUT", "DELETE", "OPTIONS", "PATCH"}) {
                HttpResponse<String> r = send(method, uri(m, "/metrics"));
                assertEquals(405, r.statusCode(), method);
                assertEquals("GET, HEAD", r.headers().firstValue("Allow").orElse(""), method);
            }
            assertEquals(200, send("GET", uri(m, "/metrics?name[]=nvmf_offload_listener_connections")).statusCode());
        }
    }

    @Test
    void headAnswersLikeGetWithoutABodyAndTheJdkServerLogsNoWarning() throws Exception {
        List<LogRecord> warnings = new CopyOnWriteArrayList<>();
        Handler catcher = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger jdk = Logger.getLogger("com.sun.net.httpserver");
        jdk.addHandler(catcher);
        // Caught, not printed: the control's warning below would read as a fault in the test log.
        jdk.setUseParentHandlers(false);
        try {
            // The catcher works: a handler that gives HEAD a length makes the JDK warn (the old server's fault).
            HttpServer plain = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            plain.createContext("/", e -> {
                e.sendResponseHeaders(200, 5);
                e.close();
            });
            plain.start();
            try {
                send("HEAD", URI.create("http://127.0.0.1:" + plain.getAddress().getPort() + "/"));
            } finally {
                plain.stop(0);
            }
            assertEquals(1, warnings.size(), "the catcher sees the JDK's HEAD warning");
            warnings.clear();

            try (MetricsServer m = MetricsServer.start(0, detached("{}"))) {
                HttpResponse<String> get = send("GET", uri(m, "/metrics"));
                HttpResponse<String> head = send("HEAD", uri(m, "/metrics"));
                assertEquals(200, head.statusCode());
                assertEquals("", head.body());
                assertEquals(get.headers().firstValue("Content-Type"), head.headers().firstValue("Content-Type"));
                HttpResponse<String> gzip = send("HEAD", uri(m, "/metrics"), "Accept-Encoding", "gzip");
                assertEquals(200, gzip.statusCode());
                assertEquals("gzip", gzip.headers().firstValue("Content-Encoding").orElse(""));
                assertEquals(200, send("HEAD", uri(m, "/metrics?debug=openmetrics")).statusCode());
                assertEquals(404, send("HEAD", uri(m, "/nothing")).statusCode());
                assertEquals(405, send("PUT", uri(m, "/metrics")).statusCode());
            }
            assertEquals(List.of(), warnings.stream().map(LogRecord::getMessage).toList());
        } finally {
            jdk.setUseParentHandlers(true);
            jdk.removeHandler(catcher);
        }
    }

    @Test
    void listensOnTheAddressGiven() throws Exception {
        try (MetricsServer m = MetricsServer.start(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0), detached("{}"))) {
            assertEquals("127.0.0.2", m.address().getAddress().getHostAddress());
            assertEquals(200, send("GET", URI.create("http://127.0.0.2:" + m.port() + "/metrics")).statusCode());
            assertThrows(ConnectException.class, () -> send("GET", uri(m, "/metrics")), "nothing on 127.0.0.1");
        }
    }

    @Test
    void aProviderLabelOnlyWhereAProviderIsInUseAndNamedAsTheTargetsOwn() throws Exception {
        for (String provider : new String[] {"none", "emulated"}) {
            try (ManagedTarget t = ManagedTarget.start(ConfigReader.read(quickstart(provider)), OffloadStateSource.NOT_REPORTED)
                    .serveMetrics(0)) {
                String body = send("GET", URI.create("http://127.0.0.1:" + t.metricsPort() + "/metrics")).body();
                List<String> own = body.lines().filter(l -> l.startsWith("nvmf_offload_")).toList();
                assertFalse(own.isEmpty(), body);
                String sk = own.stream().filter(l -> l.startsWith("nvmf_offload_tcp_ddp_rx_nvme_tcp_sk_add_total")).findFirst().orElseThrow();
                String configured = own.stream().filter(l -> l.startsWith("nvmf_offload_subsystem_offload_configured")).findFirst()
                        .orElseThrow();
                if (provider.equals("none")) {
                    assertEquals(List.of(), own.stream().filter(l -> l.contains("provider=")).toList(), "provider none: no provider label");
                    assertEquals("nvmf_offload_tcp_ddp_rx_nvme_tcp_sk_add_total{port=\"1\"} 0.0", sk);
                    assertEquals("nvmf_offload_subsystem_offload_configured{subsystem=\"" + SUB + "\"} 0.0", configured);
                } else {
                    assertEquals("nvmf_offload_tcp_ddp_rx_nvme_tcp_sk_add_total{port=\"1\",provider=\"emulated\"} 0.0", sk);
                    assertEquals("nvmf_offload_subsystem_offload_configured{provider=\"emulated\",subsystem=\"" + SUB + "\"} 1.0",
                            configured);
                }
            }
        }
    }

    private static final String SUB = "nqn.2026-11.io.test:p";

    /** One subsystem on one NVMe/TCP port on loopback; with a provider other than none, offload is enabled for it. */
    private static JsonNode quickstart(String provider) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String offload = provider.equals("none") ? "" : ", \"offload\": {\"enabled\": true}";
        String providerDoc = provider.equals("none") ? "{\"name\": \"none\"}"
                : "{\"name\": \"" + provider + "\", \"profile\": \"connectx5-class\"}";
        return ConfigReader.parse("{\"offload_provider\": " + providerDoc + ", \"subsystems\": [{\"nqn\": \"" + SUB + "\", "
                + "\"allow_any_host\": true" + offload + ", \"namespaces\": [{\"nsid\": 1, \"store\": {\"type\": \"ram\", \"size\": 4096}}]}], "
                + "\"ports\": [{\"id\": 1, \"transport\": \"tcp\", \"address\": \"127.0.0.1\", \"service_id\": " + port + ", "
                + "\"subsystems\": [\"" + SUB + "\"]}]}");
    }
}
