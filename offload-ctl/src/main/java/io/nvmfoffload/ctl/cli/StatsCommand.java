package io.nvmfoffload.ctl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code offload-ctl stats}: I/O counters. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = {"Show I/O counters of the running target: totals and per subsystem (commands and blocks read and "
                + "written, flushes, errors), connected controllers, and whether offload is configured and by which provider.",
                "The same numbers are served for Prometheus by 'serve --metrics-port PORT'."})
final class StatsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Option(names = "--include-statistics", description = "Also show the counters of every namespace.")
    boolean perNamespace;

    @Override
    public Integer call() throws Exception {
        var p = Rpc.params().put("include_statistics", perNamespace);
        return Rpc.run(spec, client, "stats", p, StatsCommand::text);
    }

    private static void text(JsonNode s, PrintWriter out) {
        out.println("offload provider: " + s.path("offload").path("provider").asText());
        out.println("total: " + counters(s.path("totals")));
        for (JsonNode sub : s.path("subsystems")) {
            out.printf("%s: %d controller(s), offload %s, %s%n", sub.path("nqn").asText(), sub.path("controllers").asInt(),
                    sub.path("offload").asText(), counters(sub));
            for (JsonNode ns : sub.path("namespaces")) {
                out.printf("  nsid %d: %s%n", ns.path("nsid").asInt(), counters(ns));
            }
        }
    }

    private static String counters(JsonNode c) {
        return String.format("reads %d (%d blocks), writes %d (%d blocks), flushes %d, errors %d", c.path("read_commands").asLong(),
                c.path("read_blocks").asLong(), c.path("write_commands").asLong(), c.path("write_blocks").asLong(),
                c.path("flush_commands").asLong(), c.path("error_commands").asLong());
    }
}
