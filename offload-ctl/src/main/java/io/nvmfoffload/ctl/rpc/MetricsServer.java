package io.nvmfoffload.ctl.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * The statistics in the Prometheus text exposition format (version 0.0.4) on
 * http://127.0.0.1:PORT/metrics. Loopback only: the counters name subsystems and hosts, and a
 * scraper on another machine should reach them through an exporter the operator chooses.
 */
public final class MetricsServer implements AutoCloseable {
    private final HttpServer http;

    private MetricsServer(HttpServer http) {
        this.http = http;
    }

    /** {@code stats} is the same document the stats method returns, with per-namespace counters. */
    public static MetricsServer start(int port, Supplier<JsonNode> stats) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        http.createContext("/metrics", exchange -> {
            byte[] body = render(stats.get()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.setExecutor(null);
        http.start();
        return new MetricsServer(http);
    }

    public int port() {
        return http.getAddress().getPort();
    }

    static String render(JsonNode stats) {
        StringBuilder b = new StringBuilder();
        String provider = stats.path("offload").path("provider").asText();
        for (String counter : TargetStatus.COUNTERS) {
            String name = "nvmf_offload_namespace_" + counter + "_total";
            family(b, name, "Software-path " + counter.replace('_', ' ') + " per namespace.", "counter");
            for (JsonNode s : stats.path("subsystems")) {
                for (JsonNode ns : s.path("namespaces")) {
                    b.append(name).append("{subsystem=\"").append(escape(s.path("nqn").asText())).append("\",nsid=\"")
                            .append(ns.path("nsid").asInt()).append("\"} ").append(ns.path(counter).asLong()).append('\n');
                }
            }
        }
        for (String counter : OffloadManagerState.COUNTERS) {
            String name = "nvmf_offload_engine_" + counter + "_total";
            family(b, name, "Offload engine " + counter.replace('_', ' ')
                    + " per offloaded namespace and port; the provider label says which engine (emulated is not hardware).", "counter");
            for (JsonNode s : stats.path("subsystems")) {
                for (JsonNode ns : s.path("offload_live")) {
                    b.append(name).append("{subsystem=\"").append(escape(s.path("nqn").asText())).append("\",nsid=\"")
                            .append(ns.path("nsid").asInt()).append("\",port=\"").append(ns.path("port").asInt())
                            .append("\",provider=\"").append(escape(ns.path("provider").asText())).append("\"} ")
                            .append(ns.path("counters").path(counter).asLong()).append('\n');
                }
            }
        }
        family(b, "nvmf_offload_subsystem_controllers", "Controllers connected to the subsystem.", "gauge");
        for (JsonNode s : stats.path("subsystems")) {
            b.append("nvmf_offload_subsystem_controllers{subsystem=\"").append(escape(s.path("nqn").asText())).append("\"} ")
                    .append(s.path("controllers").asLong()).append('\n');
        }
        family(b, "nvmf_offload_subsystem_offload_configured", "Whether offload is configured (1) for the subsystem, by provider.",
                "gauge");
        for (JsonNode s : stats.path("subsystems")) {
            b.append("nvmf_offload_subsystem_offload_configured{subsystem=\"").append(escape(s.path("nqn").asText()))
                    .append("\",provider=\"").append(escape(provider)).append("\"} ")
                    .append(s.path("offload").asText().equals("off") ? 0 : 1).append('\n');
        }
        family(b, "nvmf_offload_listener_connections", "Connections (TCP) or queues (RDMA) on a port's listener.", "gauge");
        for (JsonNode l : stats.path("listeners")) {
            b.append("nvmf_offload_listener_connections{port=\"").append(l.path("port").asInt()).append("\",transport=\"")
                    .append(l.path("transport").asText()).append("\"} ")
                    .append(l.has("connections") ? l.path("connections").asLong() : l.path("queues").asLong()).append('\n');
        }
        ddp(b, stats);
        return b.toString();
    }

    /** Each TCP listener's ULP DDP counters (kernel names with '-' as '_'), labelled with the provider. */
    private static void ddp(StringBuilder b, JsonNode stats) {
        java.util.Map<String, StringBuilder> families = new java.util.LinkedHashMap<>();
        for (JsonNode l : stats.path("listeners")) {
            JsonNode d = l.path("ulp_ddp");
            for (String group : new String[] {"statistics", "model_statistics"}) {
                d.path(group).fields().forEachRemaining(e -> {
                    String name = "nvmf_offload_tcp_ddp_" + e.getKey().replace('-', '_') + "_total";
                    families.computeIfAbsent(name, n -> new StringBuilder()).append(name).append("{port=\"").append(l.path("port").asInt())
                            .append("\",provider=\"").append(escape(d.path("provider").asText())).append("\"} ")
                            .append(e.getValue().asLong()).append('\n');
                });
            }
        }
        families.forEach((name, samples) -> {
            family(b, name, "NVMe/TCP receive offload (ULP DDP) counter per TCP listener; provider emulated is a user-space model, "
                    + "not hardware.", "counter");
            b.append(samples);
        });
    }

    /** The HELP and TYPE lines that open a metric family. */
    private static void family(StringBuilder b, String name, String help, String type) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static String escape(String label) {
        return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
