package io.nvmfoffload.ctl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nvmfoffload.ctl.rpc.RpcClient;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.function.BiConsumer;

/** One CLI operation = one JSON-RPC call to the running target, printed as JSON or text. */
final class Rpc {
    private Rpc() {}

    static int run(CommandSpec spec, ClientOptions o, String method, ObjectNode params, BiConsumer<JsonNode, PrintWriter> text)
            throws IOException {
        JsonNode result;
        try (RpcClient client = RpcClient.connect(o.socket())) {
            result = client.call(method, params);
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
