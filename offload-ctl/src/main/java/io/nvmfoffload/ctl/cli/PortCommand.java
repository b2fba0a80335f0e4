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

/** {@code offload-ctl port ...}. */
@Command(name = "port", mixinStandardHelpOptions = true,
        description = {"Ports: where hosts connect (transport, address, service id, the transport's options), and which "
                + "subsystems each exposes.",
        "Adding a port starts its listener at once; removing it stops the listener and disconnects its hosts."})
final class PortCommand {
    @Spec
    CommandSpec spec;

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the ports and the subsystems they expose.")
    int list(@Mixin ClientOptions o) throws Exception {
        return Rpc.run(spec, o, "port.list", Rpc.params(), PortCommand::print);
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = {"Add a port and start listening on it.",
            "The options marked rdma: or tcp: tune the port's transport (the port's \"rdma\" or \"tcp\" object in the "
                    + "document); those not given keep their defaults."})
    int add(@Parameters(paramLabel = "ID", description = "1 to 65535 (nvmet's portid).") int id,
            @Option(names = "--transport", paramLabel = "tcp|rdma", required = true, description = "tcp or rdma.") String transport,
            @Option(names = "--address", paramLabel = "ADDRESS", required = true, description = "IPv4 address (traddr).") String address,
            @Option(names = "--service-id", paramLabel = "SERVICE_ID", defaultValue = "4420",
                    description = "trsvcid (default: ${DEFAULT-VALUE}).") int serviceId,
            @Option(names = "--in-capsule-data-size", paramLabel = "BYTES", defaultValue = "8192",
                    description = "Bytes of in-capsule data, a multiple of 16 (default: ${DEFAULT-VALUE}).") int icds,
            @Option(names = "--max-io-size", paramLabel = "SIZE", defaultValue = "1MiB",
                    description = "Largest transfer of one command, a power of two from 8KiB to 8MiB; MDTS = log2(SIZE / 4KiB) "
                            + "(default: ${DEFAULT-VALUE}, MDTS 8).") String maxIo,
            @Mixin PortOptionFlags options,
            @Mixin ClientOptions o) throws Exception {
        ObjectNode port = Rpc.params().put("id", id).put("transport", transport).put("address", address).put("service_id", serviceId)
                .put("in_capsule_data_size", icds).put("max_io_size", maxIo);
        options.addTo(port, transport, spec);
        ObjectNode p = Rpc.params();
        p.set("port", port);
        return Rpc.run(spec, o, "port.add", p, Output::plan);
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a port that exposes no subsystem.")
    int remove(@Parameters(paramLabel = "ID") int id, @Mixin ClientOptions o) throws Exception {
        return Rpc.run(spec, o, "port.remove", Rpc.params().put("id", id), Output::plan);
    }

    @Command(name = "link", mixinStandardHelpOptions = true,
            description = "Expose a subsystem on a port (nvmet: the ports/ID/subsystems/NQN link).")
    int link(@Parameters(paramLabel = "ID") int id, @Parameters(paramLabel = "NQN") String nqn, @Mixin ClientOptions o) throws Exception {
        return Rpc.run(spec, o, "port.link", Rpc.params().put("id", id).put("nqn", nqn), Output::plan);
    }

    @Command(name = "unlink", mixinStandardHelpOptions = true, description = "Stop exposing a subsystem on a port.")
    int unlink(@Parameters(paramLabel = "ID") int id, @Parameters(paramLabel = "NQN") String nqn, @Mixin ClientOptions o) throws Exception {
        return Rpc.run(spec, o, "port.unlink", Rpc.params().put("id", id).put("nqn", nqn), Output::plan);
    }

    private static void print(JsonNode ports, PrintWriter out) {
        if (ports.isEmpty()) {
            out.println("no ports");
        }
        for (JsonNode p : ports) {
            printPort(p, out);
        }
    }

    /** A port object of the document: where it listens, what it exposes, then its transport's options. */
    static void printPort(JsonNode p, PrintWriter out) {
        String transport = p.path("transport").asText();
        out.println(describe(p));
        JsonNode options = p.path(transport);
        if (options.isObject()) {
            StringBuilder line = new StringBuilder("  ").append(transport).append(" options:");
            options.properties().forEach(e -> line.append(' ').append(e.getKey()).append(' ').append(e.getValue().asText()));
            out.println(line);
        }
    }

    /** One port of the document, as {@code port list} and {@code status} print it. */
    static String describe(JsonNode p) {
        return String.format("port %d: %s %s:%d, in-capsule %d bytes, max I/O %s, exposes %s", p.path("id").asInt(),
                p.path("transport").asText(), p.path("address").asText(), p.path("service_id").asInt(),
                p.path("in_capsule_data_size").asInt(), HumanSizes.human(p.path("max_io_size").asLong()), p.path("subsystems"));
    }
}
