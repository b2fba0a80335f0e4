package io.nvmfoffload.ctl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.nvmfoffload.ctl.config.AtomicFileWriter;
import io.nvmfoffload.ctl.rpc.RpcClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code offload-ctl save [FILE]}: the running configuration as a document. */
@Command(name = "save", mixinStandardHelpOptions = true,
        description = {"Write the running target's configuration as a JSON document that 'apply' restores exactly "
                + "(namespace UUID/NGUID/EUI-64 included, so hosts see the same namespaces).",
                "To FILE atomically (temporary file with mode 0600, fsync, rename, fsync of the directory), or to "
                        + "standard output without FILE."})
final class SaveCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Parameters(paramLabel = "FILE", arity = "0..1", description = "Where to write; standard output if absent.")
    Path file;

    @Override
    public Integer call() throws Exception {
        JsonNode doc;
        try (RpcClient c = RpcClient.connect(client.socket())) {
            doc = c.call("config.get");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (file == null) {
            out.println(Output.json(doc));
        } else {
            AtomicFileWriter.write(file, Output.json(doc) + "\n");
            if (!client.json()) {
                out.println("saved the running configuration to " + file);
            }
        }
        out.flush();
        return 0;
    }
}
