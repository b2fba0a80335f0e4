package io.nvmfoffload.ctl.cli;

import io.nvmfoffload.ctl.config.AtomicFileWriter;
import io.nvmfoffload.ctl.config.ConfigSchema;
import io.nvmfoffload.ctl.config.ConfigWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code offload-ctl schema [FILE]}: the JSON Schema every document is validated with, as
 * shipped. Its {@code $id} is a URN, not a URL, so editors get it from this command, not a host.
 */
@Command(name = "schema", mixinStandardHelpOptions = true,
        description = {"Print the JSON Schema (draft 2020-12) that validate, apply, plan and serve check every document with "
                + "before the checks a schema cannot state (references, duplicates, offload against the device profile).",
                "Its $id is " + ConfigWriter.SCHEMA_ID + ", the \"$schema\" that save writes into documents: save it to a file "
                        + "and point an editor at it to get completion and the same per-value errors while typing."})
final class SchemaCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "0..1", description = "Where to write the schema (atomically); standard output if absent.")
    Path output;

    @Override
    public Integer call() throws IOException {
        if (output != null) {
            AtomicFileWriter.write(output, ConfigSchema.text());
            return 0;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(ConfigSchema.text());
        out.flush();
        return 0;
    }
}
