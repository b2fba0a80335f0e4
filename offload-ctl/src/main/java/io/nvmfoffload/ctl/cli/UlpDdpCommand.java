package io.nvmfoffload.ctl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.Iterator;
import java.util.Map;

/** {@code offload-ctl ulp-ddp ...}: the NVMe/TCP receive offload model, in the shape of ethtool's ulp-ddp. */
@Command(name = "ulp-ddp", mixinStandardHelpOptions = true,
        description = {"NVMe/TCP direct data placement and receive data digest offload of each TCP listener, "
        + "in the shape of the kernel's ulp_ddp netlink family (caps hw/active, caps-set with a wanted mask, stats).",
        "The provider is 'emulated': a model in user space (placing = reading the socket straight into the command's buffer), "
                + "never hardware. A change applies to connections made afterwards."})
final class UlpDdpCommand {
    @Spec
    CommandSpec spec;

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show each TCP listener's capabilities (hw, active), limits and, on request, statistics.")
    int show(@Option(names = "--port", paramLabel = "ID", description = "Only the listener of this port id.") Integer port,
             @Option(names = "--include-statistics", description = "Add the rx-nvme-tcp-* counters and the model's copy counters.") boolean stats,
             @Mixin ClientOptions o) throws Exception {
        ObjectNode p = Rpc.params().put("include_statistics", stats);
        if (port != null) {
            p.put("port", port);
        }
        return Rpc.run(spec, o, "ulp_ddp.show", p, UlpDdpCommand::print);
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Switch capabilities on or off (like caps-set: bits not named keep their state; bits the device lacks stay off).")
    int set(@Option(names = "--port", paramLabel = "ID", description = "Only the listener of this port id (default: every TCP listener).") Integer port,
            @Option(names = "--nvme-tcp", paramLabel = "on|off", arity = "1", converter = OnOff.class,
                    description = "Direct data placement of H2C and in-capsule payload.") Boolean nvmeTcp,
            @Option(names = "--nvme-tcp-ddgst-rx", paramLabel = "on|off", arity = "1", converter = OnOff.class,
                    description = "Data digest verified as the payload is received.") Boolean ddgst,
            @Mixin ClientOptions o) throws Exception {
        if (nvmeTcp == null && ddgst == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "ulp-ddp set: give --nvme-tcp and/or --nvme-tcp-ddgst-rx");
        }
        ObjectNode p = Rpc.params();
        if (port != null) {
            p.put("port", port);
        }
        if (nvmeTcp != null) {
            p.put("nvme_tcp", nvmeTcp);
        }
        if (ddgst != null) {
            p.put("nvme_tcp_ddgst_rx", ddgst);
        }
        return Rpc.run(spec, o, "ulp_ddp.set", p, (r, out) -> {
            print(r, out);
            out.println("(" + r.path("applies_to").asText() + ")");
        });
    }

    /** on/off as ethtool spells it (true/false too). */
    static final class OnOff implements picocli.CommandLine.ITypeConverter<Boolean> {
        @Override
        public Boolean convert(String value) {
            return switch (value) {
                case "on", "true" -> true;
                case "off", "false" -> false;
                default -> throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not on or off");
            };
        }
    }

    private static void print(JsonNode r, PrintWriter out) {
        if (r.path("listeners").isEmpty()) {
            out.println("no NVMe/TCP listener");
            return;
        }
        for (JsonNode d : r.path("listeners")) {
            out.printf("%s: provider %s (%s), profile %s%n", d.path("name").asText(), d.path("provider").asText(),
                    r.path("note").asText(), d.path("profile").asText());
            for (String cap : new String[] {"nvme-tcp", "nvme-tcp-ddgst-rx"}) {
                out.printf("  %-18s %s%s%n", cap + ":", contains(d.path("active"), cap) ? "on" : "off",
                        contains(d.path("hw"), cap) ? "" : " [fixed]");
            }
            JsonNode l = d.path("limits");
            out.printf("  limits: max_ddp_sgl_len %d, io_threshold %d, full_ccid_range %s, max sockets %d; offloaded sockets %d%n",
                    l.path("max_ddp_sgl_len").asInt(), l.path("io_threshold").asInt(), l.path("full_ccid_range").asBoolean(),
                    l.path("max_sockets").asInt(), d.path("offloaded_sockets").asInt());
            counters(out, "statistics", d.path("statistics"));
            counters(out, "model statistics", d.path("model_statistics"));
        }
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode n : array) {
            if (n.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static void counters(PrintWriter out, String title, JsonNode c) {
        if (c.isMissingNode()) {
            return;
        }
        out.println("  " + title + ":");
        for (Iterator<Map.Entry<String, JsonNode>> it = c.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.printf("    %s: %d%n", e.getKey(), e.getValue().asLong());
        }
    }
}
