package io.nvmfoffload.ctl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;

/** {@code offload-ctl subsystem ...}. */
@Command(name = "subsystem", mixinStandardHelpOptions = true,
        description = {"NVM subsystems: create, remove, and control which hosts may connect.",
        "A subsystem a port still exposes cannot be removed: unlink it first (offload-ctl port unlink)."})
final class SubsystemCommand {
    @Spec
    CommandSpec spec;

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the subsystems with their namespaces, hosts and offload.")
    int list(@Mixin ClientOptions o) throws Exception {
        return Rpc.run(spec, o, "subsystem.list", Rpc.params(), SubsystemCommand::print);
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Create a subsystem (without namespaces; add them with 'namespace add').")
    int add(@Parameters(paramLabel = "NQN", description = "e.g. nqn.2026-11.com.example:disk1") String nqn,
            @Option(names = "--serial", paramLabel = "SERIAL",
                    description = "1-20 printable ASCII characters (default: derived from the NQN).") String serial,
            @Option(names = "--model", paramLabel = "MODEL",
                    description = "1-40 printable ASCII characters (default: nvmf-offload).") String model,
            @Option(names = "--allow-any-host", description = "Let any host connect (else only allowed hosts).") boolean anyHost,
            @Mixin ClientOptions o) throws Exception {
        ObjectNode s = Rpc.params().put("nqn", nqn).put("allow_any_host", anyHost);
        if (serial != null) {
            s.put("serial", serial);
        }
        if (model != null) {
            s.put("model", model);
        }
        ObjectNode p = Rpc.params();
        p.set("subsystem", s);
        return Rpc.run(spec, o, "subsystem.add", p, Output::plan);
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a subsystem with its namespaces.")
    int remove(@Parameters(paramLabel = "NQN") String nqn, @Mixin ClientOptions o) throws Exception {
        return Rpc.run(spec, o, "subsystem.remove", Rpc.params().put("nqn", nqn), Output::plan);
    }

    @Command(name = "allow-host", mixinStandardHelpOptions = true,
            description = "Allow a declared host to connect to the subsystem.")
    int allowHost(@Parameters(paramLabel = "NQN") String nqn, @Parameters(paramLabel = "HOSTNQN") String host,
                  @Mixin ClientOptions o) throws Exception {
        return Rpc.run(spec, o, "subsystem.allow_host", Rpc.params().put("nqn", nqn).put("host", host), Output::plan);
    }

    @Command(name = "disallow-host", mixinStandardHelpOptions = true,
            description = "Stop allowing a host (connected controllers of it stay until they disconnect).")
    int disallowHost(@Parameters(paramLabel = "NQN") String nqn, @Parameters(paramLabel = "HOSTNQN") String host,
                     @Mixin ClientOptions o) throws Exception {
        return Rpc.run(spec, o, "subsystem.disallow_host", Rpc.params().put("nqn", nqn).put("host", host), Output::plan);
    }

    @Command(name = "allow-any-host", mixinStandardHelpOptions = true,
            description = "Set whether any host may connect (true or false).")
    int allowAnyHost(@Parameters(paramLabel = "NQN") String nqn, @Parameters(paramLabel = "true|false") boolean allow,
                     @Mixin ClientOptions o) throws Exception {
        return Rpc.run(spec, o, "subsystem.set_allow_any_host", Rpc.params().put("nqn", nqn).put("allow", allow), Output::plan);
    }

    private static void print(JsonNode subsystems, PrintWriter out) {
        if (subsystems.isEmpty()) {
            out.println("no subsystems");
        }
        for (JsonNode s : subsystems) {
            out.printf("%s  serial %s  %d namespace(s)  %s  offload %s%n", s.path("nqn").asText(), s.path("serial").asText(),
                    s.path("namespaces").size(), s.path("allow_any_host").asBoolean() ? "any host" : "hosts " + s.path("allowed_hosts"),
                    s.has("offload") ? "configured" : "off");
        }
    }
}
