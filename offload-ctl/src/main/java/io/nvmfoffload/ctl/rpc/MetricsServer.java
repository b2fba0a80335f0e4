package io.nvmfoffload.ctl.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.common.PrometheusHttpExchange;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import io.prometheus.metrics.exporter.common.PrometheusHttpResponse;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import io.prometheus.metrics.exporter.httpserver.HttpExchangeAdapter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryPoolAllocationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmNativeMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * The statistics, and the JVM's and process's metrics, for Prometheus on http://ADDRESS:PORT/metrics
 * (loopback unless told otherwise): the Prometheus Java client collects and writes them, in the
 * format the scraper's Accept header asks for (text 0.0.4 by default, OpenMetrics or protobuf on request).
 * Only GET and HEAD of /metrics answer 200; any other path is 404, any other method 405.
 */
public final class MetricsServer implements AutoCloseable {
    /** The one path served. */
    public static final String PATH = "/metrics";

    private final HttpServer http;
    private final Supplier<JsonNode> stats;
    private PrometheusScrapeHandler scrape;

    private MetricsServer(HttpServer http, Supplier<JsonNode> stats) {
        this.http = http;
        this.stats = stats;
    }

    /** On loopback: the counters name subsystems and hosts, so another address is the operator's choice. */
    public static MetricsServer start(int port, Supplier<JsonNode> stats) throws IOException {
        return start(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), stats);
    }

    /** {@code stats} is the same document the stats method returns, with per-namespace counters. */
    public static MetricsServer start(InetSocketAddress address, Supplier<JsonNode> stats) throws IOException {
        HttpServer http = HttpServer.create(address, 0);
        MetricsServer m = new MetricsServer(http, stats);
        // One context for every path, so that /metricsX and /metrics/ are 404 rather than the prefix's handler.
        http.createContext("/", m::route);
        http.setExecutor(null);
        http.start();
        return m;
    }

    /**
     * The registry and scrape handler, made at the first scrape: loading the client and the JVM
     * collectors takes a while, and serve's start need not wait for it. (The allocation counter
     * jvm_memory_pool_allocated_bytes_total counts from then.)
     */
    private synchronized PrometheusScrapeHandler scrape() {
        if (scrape == null) {
            PrometheusRegistry registry = new PrometheusRegistry();
            registry.register(new TargetMetrics(stats));
            jvm(registry);
            scrape = new PrometheusScrapeHandler(PrometheusProperties.get(), registry);
        }
        return scrape;
    }

    /**
     * jvm_* and process_*: what {@code JvmMetrics} registers, but native memory only when the JVM
     * tracks it (-XX:NativeMemoryTracking): asking needs the platform MBean server, slow to start,
     * and, untracked, yields nothing.
     */
    private static void jvm(PrometheusRegistry registry) {
        PrometheusProperties config = PrometheusProperties.get();
        JvmThreadsMetrics.builder(config).register(registry);
        JvmBufferPoolMetrics.builder(config).register(registry);
        JvmClassLoadingMetrics.builder(config).register(registry);
        JvmCompilationMetrics.builder(config).register(registry);
        JvmGarbageCollectorMetrics.builder(config).register(registry);
        JvmMemoryPoolAllocationMetrics.builder(config).register(registry);
        JvmMemoryMetrics.builder(config).register(registry);
        if (ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(a -> a.startsWith("-XX:NativeMemoryTracking=") && !a.endsWith("=off"))) {
            JvmNativeMemoryMetrics.builder(config).register(registry);
        }
        JvmRuntimeInfoMetric.builder(config).register(registry);
        ProcessMetrics.builder(config).register(registry);
    }

    private void route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if (!PATH.equals(exchange.getRequestURI().getPath())) {
            answer(exchange, 404, "not found: the metrics are at " + PATH + "\n");
        } else if (method.equals("GET")) {
            scrape().handleRequest(new HttpExchangeAdapter(exchange));
        } else if (method.equals("HEAD")) {
            scrape().handleRequest(new HeadExchange(exchange));
        } else {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            answer(exchange, 405, "method " + method + " not allowed: GET or HEAD\n");
        }
    }

    /** A short text answer; to a HEAD request, its headers only (a length given with HEAD makes the JDK warn). */
    private static void answer(HttpExchange exchange, int status, String text) throws IOException {
        try (exchange) {
            exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.sendResponseHeaders(status, -1);
            } else {
                exchange.sendResponseHeaders(status, body.length);
                exchange.getResponseBody().write(body);
            }
        }
    }

    public int port() {
        return http.getAddress().getPort();
    }

    /** The address and port listened on (port 0 asked: the one chosen). */
    public InetSocketAddress address() {
        return http.getAddress();
    }

    /** The target's families alone in the text format (no JVM metrics): what a scrape shows of {@code stats}. */
    static String render(JsonNode stats) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, new TargetMetrics(() -> stats).collect());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        http.stop(0);
    }

    /**
     * The scrape handler's view of a HEAD request: the GET's request and response headers, and a
     * body that is never sent, whatever length or encoding the handler chose for it.
     */
    private static final class HeadExchange implements PrometheusHttpExchange, PrometheusHttpResponse {
        private final HttpExchange exchange;
        private final HttpExchangeAdapter request;
        private boolean sent;

        HeadExchange(HttpExchange exchange) {
            this.exchange = exchange;
            this.request = new HttpExchangeAdapter(exchange);
        }

        @Override
        public PrometheusHttpRequest getRequest() {
            return request.getRequest();
        }

        @Override
        public PrometheusHttpResponse getResponse() {
            return this;
        }

        @Override
        public void setHeader(String name, String value) {
            exchange.getResponseHeaders().set(name, value);
        }

        @Override
        public OutputStream sendHeadersAndGetBody(int status, int contentLength) throws IOException {
            sent = true;
            exchange.sendResponseHeaders(status, -1);
            return OutputStream.nullOutputStream();
        }

        @Override
        public void handleException(IOException e) throws IOException {
            failed();
        }

        @Override
        public void handleException(RuntimeException e) {
            try {
                failed();
            } catch (IOException ignored) {
                // the scraper has gone; its GET would see the error
            }
        }

        /** A scrape that failed before its headers: 500 (a GET gets the stack trace as its body). */
        private void failed() throws IOException {
            if (!sent) {
                sent = true;
                exchange.sendResponseHeaders(500, -1);
            }
        }

        @Override
        public void close() {
            exchange.close();
        }
    }
}
