package io.nvmfoffload.ctl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nvmfoffload.ctl.config.ConfigReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code offload-ctl apply CONFIG}: make the running target match a document. */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = {"Make the running target match CONFIG: only the difference is changed, in order (hosts, subsystems, "
                + "namespaces, ports, links; removals first, in reverse), and all or nothing: if a step fails, the steps "
                + "before it are undone and the target is as it was.",
                "The document is validated first; every error is printed with its JSON pointer and nothing is changed.",
                "Run 'offload-ctl plan CONFIG' to see the steps without changing anything."})
final class ApplyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Parameters(paramLabel = "CONFIG", description = "The JSON configuration document (see offload-ctl/README.md and the schema).")
    Path config;

    @Override
    public Integer call() throws Exception {
        return Rpc.runWithProgress(spec, client, "config.apply", configParams(config), Output::plan);
    }

    /** Reads and validates the document here, so a wrong file is refused even with no target running. */
    static ObjectNode configParams(Path file) {
        JsonNode doc = ConfigReader.parse(file);
        ConfigReader.read(doc);
        ObjectNode p = Rpc.params();
        p.set("config", doc);
        return p;
    }
}
