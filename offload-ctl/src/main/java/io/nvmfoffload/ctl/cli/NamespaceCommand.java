package io.nvmfoffload.ctl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;

/** {@code offload-ctl namespace ...}. */
@Command(name = "namespace", mixinStandardHelpOptions = true,
        description = {"Namespaces of a subsystem and the stores behind them (RAM, file, block device).",
        "Connected hosts are told of every change by a namespace-attribute-changed AEN."})
final class NamespaceCommand {
    @Spec
    CommandSpec spec;

    /** Exactly one store kind. */
    static final class Store {
        @Option(names = "--ram", paramLabel = "SIZE", required = true, description = "A RAM store of SIZE (e.g. 256MiB); lost on removal.")
        String ram;

        @Option(names = "--file", paramLabel = "PATH", required = true, description = "A regular file (absolute path).")
        String file;

        @Option(names = "--block", paramLabel = "DEVICE", required = true, description = "A block device, e.g. /dev/nvme0n1.")
        String block;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List namespaces, of one subsystem or all.")
    int list(@Parameters(paramLabel = "NQN", arity = "0..1") String nqn, @Mixin ClientOptions o) throws Exception {
        ObjectNode p = Rpc.params();
        if (nqn != null) {
            p.put("nqn", nqn);
        }
        return Rpc.run(spec, o, "namespace.list", p, NamespaceCommand::print);
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a namespace to a subsystem.")
    int add(@Parameters(paramLabel = "NQN") String nqn,
            @Parameters(paramLabel = "NSID", description = "1 to 1024, unique in the subsystem.") int nsid,
            @ArgGroup(exclusive = true, multiplicity = "1") Store store,
            @Option(names = "--block-size", paramLabel = "512|4096", defaultValue = "4096",
                    description = "512 or 4096 (default: ${DEFAULT-VALUE}).") int blockSize,
            @Option(names = "--create", paramLabel = "SIZE",
                    description = "With --file: create a sparse file of SIZE if missing.") String create,
            @Option(names = "--direct-io", description = "With --file or --block: O_DIRECT.") boolean direct,
            @Option(names = "--uuid", paramLabel = "UUID",
                    description = "The namespace UUID hosts see (default: from the store).") String uuid,
            @Option(names = "--nguid", paramLabel = "NGUID",
                    description = "The NGUID, 32 hex digits (default: from the store).") String nguid,
            @Option(names = "--offload-cmd-tmo-us", paramLabel = "US",
                    description = "Backend command timeout where the subsystem is offloaded, clamped to the device's "
                            + "bounds (default: the subsystem's).") Long offloadTimeout,
            @Mixin ClientOptions o) throws Exception {
        ObjectNode ns = Rpc.params().put("nsid", nsid);
        ObjectNode st = ns.putObject("store");
        if (store.ram != null) {
            st.put("type", "ram").put("size", store.ram);
        } else {
            st.put("type", store.file != null ? "file" : "block").put("path", store.file != null ? store.file : store.block)
                    .put("direct_io", direct);
            if (create != null) {
                st.put("create_size", create);
            }
        }
        st.put("block_size", blockSize);
        if (uuid != null) {
            ns.put("uuid", uuid);
        }
        if (nguid != null) {
            ns.put("nguid", nguid);
        }
        if (offloadTimeout != null) {
            ns.put("offload_cmd_tmo_us", offloadTimeout);
        }
        ObjectNode p = Rpc.params().put("nqn", nqn);
        p.set("namespace", ns);
        return Rpc.run(spec, o, "namespace.add", p, Output::plan);
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove a namespace (its RAM store is freed; files stay).")
    int remove(@Parameters(paramLabel = "NQN") String nqn, @Parameters(paramLabel = "NSID") int nsid, @Mixin ClientOptions o)
            throws Exception {
        return Rpc.run(spec, o, "namespace.remove", Rpc.params().put("nqn", nqn).put("nsid", nsid), Output::plan);
    }

    /** A namespace of the document in one line: its store, block size, UUID and offload_cmd_tmo_us if set. */
    static String describe(JsonNode ns) {
        JsonNode st = ns.path("store");
        String where = st.has("path") ? st.path("path").asText() : HumanSizes.human(st.path("size").asLong());
        return st.path("type").asText() + " " + where + ", " + st.path("block_size").asInt() + "-byte blocks, uuid "
                + ns.path("uuid").asText("-")
                + (ns.has("offload_cmd_tmo_us") ? ", offload_cmd_tmo_us " + ns.path("offload_cmd_tmo_us").asLong() : "");
    }

    private static void print(JsonNode namespaces, PrintWriter out) {
        if (namespaces.isEmpty()) {
            out.println("no namespaces");
        }
        for (JsonNode ns : namespaces) {
            out.printf("%s nsid %d: %s%n", ns.path("subsystem").asText(), ns.path("nsid").asInt(), describe(ns));
        }
    }
}
