package io.nvmfoffload.ctl.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code offload-ctl} command. Exit codes: 0 success, 1 the operation failed (the message says
 * what and where), 2 the command line was wrong.
 */
@Command(name = "offload-ctl",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
                "Configure and run an NVMe-oF target with RDMA-verbs target offload.",
                "Offload state always names its provider (none, emulated, or a vendor's)."
        },
        subcommands = {DevicesCommand.class, ServeCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:success",
                "1:the operation failed; the message says what was wrong and where",
                "2:invalid command line"
        })
public final class OffloadCtl {

    public static void main(String[] args) {
        // One line per record (time, level, logger, message), unless the user configured logging.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$s %3$s: %5$s%6$s%n");
        }
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by main and the tests. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new OffloadCtl());
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println(cmd.getCommandName() + ": " + ex.getMessage());
            return 1;
        });
        return cli;
    }
}
