package io.nvmfoffload.ctl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;

/** {@code offload-ctl host list|add|remove}. */
@Command(name = "host", mixinStandardHelpOptions = true,
        description = {"Hosts that subsystems may allow, by host NQN (nvmet's hosts/ directory).",
        "A host still allowed on a subsystem cannot be removed: disallow it there first."})
final class HostCommand {
    @Spec
    CommandSpec spec;

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the hosts.")
    int list(@Mixin ClientOptions o) throws Exception {
        return Rpc.run(spec, o, "host.list", Rpc.params(), HostCommand::print);
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a host.")
    int add(@Parameters(paramLabel = "HOSTNQN", description = "e.g. nqn.2014-08.org.nvmexpress:uuid:...") String nqn,
            @Mixin ClientOptions o) throws Exception {
        return Rpc.run(spec, o, "host.add", Rpc.params().put("nqn", nqn), Output::plan);
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a host.")
    int remove(@Parameters(paramLabel = "HOSTNQN") String nqn, @Mixin ClientOptions o) throws Exception {
        return Rpc.run(spec, o, "host.remove", Rpc.params().put("nqn", nqn), Output::plan);
    }

    private static void print(JsonNode hosts, PrintWriter out) {
        if (hosts.isEmpty()) {
            out.println("no hosts");
        }
        hosts.forEach(h -> out.println(h.path("nqn").asText()));
    }
}
