package io.nvmfoffload.ctl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.nvmfoffload.ctl.rpc.JsonText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code offload-ctl status}: the running target at a glance. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show the running target: its configuration (the document 'save' writes), the offload of each "
                + "subsystem with the provider that serves it, the listeners, the connected controllers and the "
                + "discovery generation.",
                "With --json the 'config' member is exactly the saved document."})
final class StatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Override
    public Integer call() throws Exception {
        return Rpc.run(spec, client, "status", Rpc.params(), StatusCommand::text);
    }

    static void text(JsonNode s, PrintWriter out) {
        JsonNode offload = s.path("offload");
        out.println("offload provider: " + offload.path("provider").asText() + " (" + offload.path("note").asText() + ")");
        Map<String, JsonNode> offloadBySubsystem = new HashMap<>();
        offload.path("subsystems").forEach(o -> offloadBySubsystem.put(o.path("nqn").asText(), o));
        JsonNode config = s.path("config");
        out.println("hosts: " + config.path("hosts").size());
        for (JsonNode h : config.path("hosts")) {
            out.println("  " + h.path("nqn").asText());
        }
        for (JsonNode sub : config.path("subsystems")) {
            String nqn = sub.path("nqn").asText();
            out.printf("subsystem %s  serial %s  model '%s'  %s%n", nqn, sub.path("serial").asText(), sub.path("model").asText(),
                    sub.path("allow_any_host").asBoolean() ? "any host" : "hosts " + sub.path("allowed_hosts"));
            for (JsonNode ns : sub.path("namespaces")) {
                out.printf("  nsid %d: %s%n", ns.path("nsid").asInt(), NamespaceCommand.describe(ns));
            }
            JsonNode o = offloadBySubsystem.get(nqn);
            if (o != null && o.path("configured").path("enabled").asBoolean()) {
                JsonNode c = o.path("configured");
                out.printf("  offload: configured, provider %s, ops %s, queue depth %d, staging %s, max I/O %s; live: %s%n",
                        o.path("provider").asText(), c.path("ops"), c.path("queue_depth").asInt(),
                        HumanSizes.human(c.path("staging_buffer_size").asLong()), HumanSizes.human(c.path("max_io_size").asLong()),
                        o.path("live").isTextual() ? o.path("live").asText() : JsonText.compact(o.path("live")));
            } else {
                out.println("  offload: off (software path)");
            }
        }
        for (JsonNode p : config.path("ports")) {
            PortCommand.printPort(p, out);
        }
        for (JsonNode l : s.path("listeners")) {
            JsonNode d = l.path("data_buffers");
            out.printf("listener of port %d: %s, %s, data buffers %s of %s in use%n", l.path("port").asInt(), l.path("transport").asText(),
                    l.has("connections") ? l.path("connections").asInt() + " connection(s)" : l.path("queues").asInt() + " queue(s), "
                            + l.path("receive_buffers").asInt() + " receive buffers (" + l.path("receive_queues").asText() + ")",
                    HumanSizes.human(d.path("in_use").asLong()), HumanSizes.human(d.path("pool_size").asLong()));
        }
        out.println("controllers: " + s.path("controllers").size());
        for (JsonNode c : s.path("controllers")) {
            out.printf("  %s cntlid %d host %s port %d %s%n", c.path("subsystem").asText(), c.path("cntlid").asInt(),
                    c.path("host").asText(), c.path("port").asInt(), c.path("state").asText());
        }
        out.println("discovery generation: " + s.path("discovery_generation").asLong());
    }
}
