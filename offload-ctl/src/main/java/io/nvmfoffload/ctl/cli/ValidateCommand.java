package io.nvmfoffload.ctl.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nvmfoffload.ctl.config.ConfigReader;
import io.nvmfoffload.ctl.config.TargetConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code offload-ctl validate CONFIG}: check a document here, without a running target. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check CONFIG without a running target: first against the JSON Schema ('offload-ctl schema': types, "
                + "ranges, patterns, unknown keys), then duplicates, references between hosts, subsystems and ports, and "
                + "offload settings against the provider's device profile.",
                "Every error is printed with its JSON pointer; exit code 1 if there is any."})
final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print a JSON summary instead of text.")
    boolean json;

    @Parameters(paramLabel = "CONFIG", description = "The JSON configuration document.")
    Path config;

    @Override
    public Integer call() {
        TargetConfig c = ConfigReader.read(config);
        PrintWriter out = spec.commandLine().getOut();
        int namespaces = c.subsystems().stream().mapToInt(s -> s.namespaces().size()).sum();
        if (json || OffloadCtl.globalJson(spec)) {
            ObjectNode r = JsonNodeFactory.instance.objectNode().put("valid", true).put("hosts", c.hosts().size())
                    .put("subsystems", c.subsystems().size()).put("namespaces", namespaces).put("ports", c.ports().size())
                    .put("offload_provider", c.offloadProvider().name());
            out.println(Output.json(r));
        } else {
            out.printf("%s is valid: %d host(s), %d subsystem(s), %d namespace(s), %d port(s), offload provider %s%n", config,
                    c.hosts().size(), c.subsystems().size(), namespaces, c.ports().size(), c.offloadProvider().name());
        }
        out.flush();
        return 0;
    }
}
