package io.nvmfoffload.ctl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nvmfoffload.ctl.rpc.JsonText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.List;

/** {@code offload-ctl offload ...}: offload mappings of subsystems and the provider. */
@Command(name = "offload", mixinStandardHelpOptions = true,
        description = {"NVMf target offload of subsystems: show, set, disable, recover; and the offload provider.",
        "Offload can only change while no port exposes the subsystem: set and disable unlink it from its ports, change "
                + "the offload, and link it again (connected hosts reconnect). Each offloaded namespace maps to its own "
                + "backend controller of the provider.",
        "Every output names the provider; 'emulated' is a model in user space, never hardware."})
final class OffloadCommand {
    @Spec
    CommandSpec spec;

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show the provider and the offload of each subsystem (configured and, when reported, live).")
    int show(@Parameters(paramLabel = "NQN", arity = "0..1") String nqn, @Mixin ClientOptions o) throws Exception {
        ObjectNode p = Rpc.params();
        if (nqn != null) {
            p.put("nqn", nqn);
        }
        return Rpc.run(spec, o, "offload.show", p, OffloadCommand::print);
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Turn offload on for a subsystem, or change its parameters; checked against the provider's device profile.")
    int set(@Parameters(paramLabel = "NQN") String nqn,
            @Option(names = "--ops", paramLabel = "OP", split = ",", defaultValue = "read,write,flush",
                    description = "I/O to offload: read, write, flush (default: ${DEFAULT-VALUE}).") List<String> ops,
            @Option(names = "--queue-depth", paramLabel = "DEPTH", defaultValue = "128",
                    description = "Backend queue depth, a power of two (default: ${DEFAULT-VALUE}).") int depth,
            @Option(names = "--staging-buffer-size", paramLabel = "SIZE", defaultValue = "128MiB",
                    description = "Staging buffer (default: ${DEFAULT-VALUE}).") String staging,
            @Option(names = "--max-io-size", paramLabel = "SIZE", defaultValue = "128KiB",
                    description = "Largest offloaded I/O (default: ${DEFAULT-VALUE}).") String maxIo,
            @Option(names = "--command-timeout-us", paramLabel = "MICROSECONDS", defaultValue = "0",
                    description = "Backend command timeout; 0 = 30 s (default: ${DEFAULT-VALUE}).") long timeout,
            @Mixin ClientOptions o) throws Exception {
        ObjectNode off = Rpc.params().put("enabled", true);
        ArrayNode a = off.putArray("ops");
        ops.forEach(a::add);
        off.put("queue_depth", depth).put("staging_buffer_size", staging).put("max_io_size", maxIo).put("command_timeout_us", timeout);
        ObjectNode p = Rpc.params().put("nqn", nqn);
        p.set("offload", off);
        return Rpc.run(spec, o, "offload.set", p, Output::plan);
    }

    @Command(name = "disable", mixinStandardHelpOptions = true,
            description = "Turn offload off for a subsystem (software path only).")
    int disable(@Parameters(paramLabel = "NQN") String nqn, @Mixin ClientOptions o) throws Exception {
        return Rpc.run(spec, o, "offload.disable", Rpc.params().put("nqn", nqn), Output::plan);
    }

    @Command(name = "recover", mixinStandardHelpOptions = true,
            description = {"Bring an offloaded subsystem back on offload after backend PCI errors, once its "
            + "device is repaired: the backend device is reset and every namespace gets a new backend controller.",
            "After a PCI error the target serves the namespaces through software and never goes back by itself (as the "
                    + "shipped stack); a backend timeout, by contrast, is recovered automatically."})
    int recover(@Parameters(paramLabel = "NQN") String nqn,
                @Option(names = "--port", paramLabel = "ID",
                        description = "Only on this port (default: every port where the subsystem needs it).") Integer port,
                @Mixin ClientOptions o) throws Exception {
        ObjectNode p = Rpc.params().put("nqn", nqn);
        if (port != null) {
            p.put("port", port);
        }
        return Rpc.run(spec, o, "offload.recover", p, OffloadCommand::printRecovery);
    }

    @Command(name = "provider", mixinStandardHelpOptions = true,
            description = "Choose the offload provider: none, or emulated with a device profile.")
    int provider(@Parameters(paramLabel = "NAME", description = "none or emulated.") String name,
                 @Option(names = "--profile", paramLabel = "PROFILE",
                         description = "With emulated: connectx5-class (default), connectx5-class-no-last-cqe or tiny.")
                 String profile,
                 @Mixin ClientOptions o) throws Exception {
        ObjectNode prov = Rpc.params().put("name", name);
        if (profile != null) {
            prov.put("profile", profile);
        }
        ObjectNode p = Rpc.params();
        p.set("provider", prov);
        return Rpc.run(spec, o, "offload.set_provider", p, Output::plan);
    }

    private static void printRecovery(JsonNode r, PrintWriter out) {
        out.println("provider: " + r.path("provider").asText() + " - " + r.path("note").asText());
        for (JsonNode n : r.path("namespaces")) {
            out.printf("%s nsid %d on port %d: %s%n", r.path("nqn").asText(), n.path("nsid").asInt(), n.path("port").asInt(),
                    n.path("outcome").asText());
        }
    }

    private static void print(JsonNode r, PrintWriter out) {
        out.println("provider: " + r.path("provider").asText() + (r.has("profile") ? " (" + r.path("profile").asText() + " profile)" : "")
                + " - " + r.path("note").asText());
        for (JsonNode s : r.path("subsystems")) {
            JsonNode c = s.path("configured");
            out.printf("%s: %s; live: %s%n", s.path("nqn").asText(), c.path("enabled").asBoolean() ? "configured " + c : "off",
                    s.path("live").isTextual() ? s.path("live").asText() : JsonText.compact(s.path("live")));
        }
    }
}
