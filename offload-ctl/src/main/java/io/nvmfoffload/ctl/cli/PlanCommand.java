package io.nvmfoffload.ctl.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code offload-ctl plan CONFIG}: the steps apply would take, nothing changed. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Print the ordered steps 'apply CONFIG' would execute on the running target; nothing is changed.",
                "An empty plan means the target already matches CONFIG."})
final class PlanCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Parameters(paramLabel = "CONFIG", description = "The JSON configuration document.")
    Path config;

    @Override
    public Integer call() throws Exception {
        return Rpc.run(spec, client, "config.plan", ApplyCommand.configParams(config), Output::plan);
    }
}
