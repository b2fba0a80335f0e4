package io.nvmfoffload.ctl.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.concurrent.Callable;

/** {@code offload-ctl clear}: remove every object of the running target. */
@Command(name = "clear", mixinStandardHelpOptions = true,
        description = {"Remove every port, subsystem, namespace and host of the running target (as nvmetcli clear), "
                + "links first. Connected hosts are disconnected. The offload provider setting stays.",
                "Save first if you want it back: offload-ctl save FILE; offload-ctl clear; offload-ctl apply FILE."})
final class ClearCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Override
    public Integer call() throws Exception {
        return Rpc.run(spec, client, "config.clear", Rpc.params(), Output::plan);
    }
}
