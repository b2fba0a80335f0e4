package io.nvmfoffload.ctl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nvmfoffload.ctl.rpc.RpcClient;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** One CLI operation = one JSON-RPC call to the running target, printed as JSON or text. */
final class Rpc {
    /** How often a long apply says where it is, in milliseconds; at trace level (-vv) every step. */
    static final long PROGRESS_INTERVAL_MILLIS = 1000;

    private Rpc() {}

    static int run(CommandSpec spec, ClientOptions o, String method, ObjectNode params, BiConsumer<JsonNode, PrintWriter> text)
            throws IOException {
        return call(spec, o, method, params, text, notification -> { });
    }

    /**
     * As {@link #run}, for an operation that may take thousands of steps: its progress goes to
     * standard error (never standard output, which --json keeps parseable) when {@link LogSetup#showProgress}.
     */
    static int runWithProgress(CommandSpec spec, ClientOptions o, String method, ObjectNode params,
            BiConsumer<JsonNode, PrintWriter> text) throws IOException {
        LoggingOptions.Verbosity verbosity = LoggingOptions.of(spec);
        if (!LogSetup.showProgress(verbosity)) {
            return run(spec, o, method, params, text);
        }
        long interval = verbosity.level() == System.Logger.Level.TRACE ? 0 : PROGRESS_INTERVAL_MILLIS;
        params.put("progress", true).put("progress_interval_ms", interval);
        PrintWriter err = spec.commandLine().getErr();
        long start = System.nanoTime();
        return call(spec, o, method, params, text, n -> {
            JsonNode p = n.path("params");
            err.println(progressLine(p, (System.nanoTime() - start) / 1e9));
            err.flush();
        });
    }

    static String progressLine(JsonNode p, double seconds) {
        int done = p.path("done").asInt();
        int total = p.path("total").asInt();
        String where = done == total ? "done" : "last: " + p.path("step").asText();
        return String.format("%s: %d of %d steps, %.1f s (%s)", p.path("operation").asText("apply"), done, total, seconds, where);
    }

    private static int call(CommandSpec spec, ClientOptions o, String method, ObjectNode params, BiConsumer<JsonNode, PrintWriter> text,
            Consumer<JsonNode> notifications) throws IOException {
        JsonNode result;
        try (RpcClient client = RpcClient.connect(o.socket())) {
            result = client.call(method, params, notifications);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (o.json()) {
            out.println(Output.json(result));
        } else {
            text.accept(result, out);
        }
        out.flush();
        return 0;
    }

    static ObjectNode params() {
        return RpcClient.params();
    }
}
