package io.nvmfoffload.ctl.cli;

import io.nvmfoffload.ctl.rpc.RpcClient;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code offload-ctl} command. Exit codes: 0 success, 1 the operation failed (the message says
 * what and where), 2 the command line was wrong, 3 no target answers on the management socket.
 */
@Command(name = "offload-ctl",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
                "Configure and run an NVMe-oF target with RDMA-verbs target offload.",
                "Start a target with 'serve' (the quickstart without arguments, or a JSON CONFIG); the other commands talk to "
                        + "it over its management socket (JSON-RPC 2.0). Declare a whole target in one JSON document and 'apply' "
                        + "it, or change one object at a time (host, subsystem, namespace, port, offload).",
                "Offload state always names its provider (none, emulated, or a vendor's); emulation is never presented as hardware.",
                "Start here: offload-ctl serve & offload-ctl status; offload-ctl save my.json; offload-ctl plan my.json"
        },
        subcommands = {ServeCommand.class, ApplyCommand.class, PlanCommand.class, ValidateCommand.class, SaveCommand.class,
                ClearCommand.class, StatusCommand.class, StatsCommand.class, EventsCommand.class,
                HostCommand.class, SubsystemCommand.class, NamespaceCommand.class, PortCommand.class, OffloadCommand.class,
                DevicesCommand.class, CapsCommand.class, ImportNvmetcliCommand.class,
                GenerateManCommand.class, AutoComplete.GenerateCompletion.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:success",
                "1:the operation failed; the message says what was wrong and where (JSON pointer, option); a failed apply was rolled back",
                "2:invalid command line",
                "3:no target answers on the management socket (not running, or another --socket)"
        })
public final class OffloadCtl {
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_UNREACHABLE = 3;

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
            String where = cmd.getCommandSpec().qualifiedName();
            cmd.getErr().println(where + ": " + ex.getMessage());
            cmd.getErr().flush();
            return ex instanceof RpcClient.UnreachableException ? EXIT_UNREACHABLE : EXIT_FAILED;
        });
        return cli;
    }
}
