package io.nvmfoffload.ctl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.nvmfoffload.ctl.rpc.JsonText;
import io.nvmfoffload.ctl.rpc.RpcClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code offload-ctl events}: follow the target's events. */
@Command(name = "events", mixinStandardHelpOptions = true,
        description = {"Follow the running target's events as they happen, one per line: the AENs it raises (namespace "
                + "attribute changed, discovery log changed), controllers created and deleted, configuration applied, "
                + "offload changes (with the provider).",
                "Starts with the events still in the target's log unless --new-only; runs until Ctrl-C, --count events or --timeout."})
final class EventsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Option(names = "--count", paramLabel = "N", description = "Stop after N events.")
    long count = Long.MAX_VALUE;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Stop after this many seconds without events.")
    long timeoutSeconds = Long.MAX_VALUE / 1000;

    @Option(names = "--new-only", description = "Skip the events already in the log.")
    boolean newOnly;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        long seen = 0;
        try (RpcClient c = RpcClient.connect(client.socket())) {
            long after = newOnly ? c.call("events.poll", RpcClient.params().put("after", Long.MAX_VALUE / 2).put("max", 0))
                    .path("next").asLong() : 0;
            long idleSince = System.nanoTime();
            while (seen < count) {
                long wait = Math.min(30_000, timeoutSeconds * 1000 - (System.nanoTime() - idleSince) / 1_000_000);
                if (wait <= 0) {
                    break;
                }
                JsonNode r = c.call("events.poll", RpcClient.params().put("after", after).put("timeout_ms", wait)
                        .put("max", Math.min(1000, count - seen)));
                if (r.path("missed").asLong() > 0) {
                    out.println("(" + r.path("missed").asLong() + " events dropped from the target's log before they were read)");
                }
                for (JsonNode e : r.path("events")) {
                    out.println(client.json() ? JsonText.compact(e) : text(e));
                    seen++;
                    idleSince = System.nanoTime();
                }
                out.flush();
                after = r.path("next").asLong();
            }
        }
        return 0;
    }

    private static String text(JsonNode e) {
        StringBuilder b = new StringBuilder(e.path("time").asText()).append(' ').append(e.path("type").asText());
        e.fields().forEachRemaining(f -> {
            if (!f.getKey().equals("time") && !f.getKey().equals("type") && !f.getKey().equals("seq")) {
                b.append(' ').append(f.getKey()).append('=').append(f.getValue().isTextual() ? f.getValue().asText() : f.getValue());
            }
        });
        return b.toString();
    }
}
