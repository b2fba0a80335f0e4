package io.nvmfoffload.ctl.cli;

import io.nvmfoffload.ctl.config.AtomicFileWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code offload-ctl generate-man [FILE]}. */
@Command(name = "generate-man", mixinStandardHelpOptions = true,
        description = {"Write the man page (troff) generated from this command model.",
                "Install it with: offload-ctl generate-man /usr/local/share/man/man1/offload-ctl.1; then: man offload-ctl"})
final class GenerateManCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "0..1", description = "Where to write; standard output if absent.")
    Path file;

    @Override
    public Integer call() throws Exception {
        String page = ManPage.render(spec.root());
        if (file == null) {
            spec.commandLine().getOut().print(page);
            spec.commandLine().getOut().flush();
        } else {
            AtomicFileWriter.write(file, page);
        }
        return 0;
    }
}
