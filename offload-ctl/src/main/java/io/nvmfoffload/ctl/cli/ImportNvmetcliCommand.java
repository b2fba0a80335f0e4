package io.nvmfoffload.ctl.cli;

import io.nvmfoffload.ctl.config.AtomicFileWriter;
import io.nvmfoffload.ctl.config.ConfigError;
import io.nvmfoffload.ctl.config.ConfigReader;
import io.nvmfoffload.ctl.config.NvmetcliImporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code offload-ctl import-nvmetcli FILE}: convert an nvmetcli save file. */
@Command(name = "import-nvmetcli", mixinStandardHelpOptions = true,
        description = {"Convert an nvmetcli JSON file (nvmetcli save / /etc/nvmet/config.json) into an offload-ctl document.",
                "Whatever has no counterpart here (referrals, ANA, PI, cntlid ranges, queue limits, disabled namespaces, "
                        + "other transports) is left out and reported on standard error with its JSON pointer in FILE. "
                        + "The result is validated; then 'offload-ctl apply OUT'."})
final class ImportNvmetcliCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The nvmetcli JSON file.")
    Path file;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Write the document here (atomically); standard output if absent.")
    Path output;

    @Option(names = "--strict", description = "Exit 1 if anything could not be mapped.")
    boolean strict;

    @Override
    public Integer call() throws Exception {
        NvmetcliImporter.Result r = NvmetcliImporter.convert(ConfigReader.parse(file));
        PrintWriter err = spec.commandLine().getErr();
        for (ConfigError e : r.unmapped()) {
            err.println("import-nvmetcli: " + file + "#" + e);
        }
        err.flush();
        ConfigReader.read(r.document());
        String text = Output.json(r.document()) + "\n";
        if (output == null) {
            spec.commandLine().getOut().print(text);
            spec.commandLine().getOut().flush();
        } else {
            AtomicFileWriter.write(output, text);
        }
        return strict && !r.unmapped().isEmpty() ? OffloadCtl.EXIT_FAILED : 0;
    }
}
