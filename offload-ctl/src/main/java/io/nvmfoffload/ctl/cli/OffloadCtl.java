package io.nvmfoffload.ctl.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

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
                "Logging goes to standard error: --log-level LEVEL, -v (debug) or -q (warnings only), before or after "
                        + "the command word; a long apply or clear shows its progress there when it is a terminal, or with -v.",
                "Start here: offload-ctl serve & offload-ctl status; offload-ctl save my.json; offload-ctl plan my.json"
        },
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

    /**
     * The subcommands, registered in code rather than in the annotation: building picocli's model
     * of all of them costs a fresh JVM more than the whole round trip to the target should take,
     * so a command line that names one of them gets a model of only that one.
     */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = new LinkedHashMap<>();

    static {
        SUBCOMMANDS.put("serve", ServeCommand::new);
        SUBCOMMANDS.put("apply", ApplyCommand::new);
        SUBCOMMANDS.put("plan", PlanCommand::new);
        SUBCOMMANDS.put("validate", ValidateCommand::new);
        SUBCOMMANDS.put("schema", SchemaCommand::new);
        SUBCOMMANDS.put("save", SaveCommand::new);
        SUBCOMMANDS.put("clear", ClearCommand::new);
        SUBCOMMANDS.put("status", StatusCommand::new);
        SUBCOMMANDS.put("stats", StatsCommand::new);
        SUBCOMMANDS.put("events", EventsCommand::new);
        SUBCOMMANDS.put("host", HostCommand::new);
        SUBCOMMANDS.put("subsystem", SubsystemCommand::new);
        SUBCOMMANDS.put("namespace", NamespaceCommand::new);
        SUBCOMMANDS.put("port", PortCommand::new);
        SUBCOMMANDS.put("offload", OffloadCommand::new);
        SUBCOMMANDS.put("ulp-ddp", UlpDdpCommand::new);
        SUBCOMMANDS.put("devices", DevicesCommand::new);
        SUBCOMMANDS.put("caps", CapsCommand::new);
        SUBCOMMANDS.put("import-nvmetcli", ImportNvmetcliCommand::new);
    }

    @Option(names = "--socket", paramLabel = "PATH",
            description = "The running target's management socket, for the command that follows (its own --socket wins).")
    Path socket;

    @Option(names = "--json", description = "Print the result, or the failure, of the command that follows as JSON.")
    boolean json;

    @Mixin
    LoggingOptions logging;

    /** --socket given before the command, or null. */
    static Path globalSocket(CommandSpec spec) {
        return spec != null && spec.root().userObject() instanceof OffloadCtl root ? root.socket : null;
    }

    /** --json given before the command. */
    static boolean globalJson(CommandSpec spec) {
        return spec != null && spec.root().userObject() instanceof OffloadCtl root && root.json;
    }

    /** Where the command's name is in {@code args}: after the options that may come before it (bin/offload-ctl skips the same). */
    static int commandIndex(String[] args) {
        int i = 0;
        while (i < args.length && (args[i].equals("--socket") || args[i].startsWith("--socket=") || args[i].equals("--json")
                || args[i].equals(LoggingOptions.LEVEL) || args[i].startsWith(LoggingOptions.LEVEL + "=")
                || LoggingOptions.FLAGS.contains(args[i]))) {
            i += args[i].equals("--socket") || args[i].equals(LoggingOptions.LEVEL) ? 2 : 1;
        }
        return i;
    }

    /** The commands that only talk to a target over its socket (or read files) and print. */
    private static final Set<String> CLIENT_EXITS_BY_HALT = Set.of("apply", "plan", "validate", "schema", "save", "clear",
            "status", "stats", "host", "subsystem", "namespace", "port", "offload", "ulp-ddp", "devices", "caps", "import-nvmetcli");

    public static void main(String[] args) {
        LogSetup.defaultFormat();
        CommandLine cli = commandLine(args);
        int code = cli.execute(args);
        int at = commandIndex(args);
        if (at < args.length && CLIENT_EXITS_BY_HALT.contains(args[at])) {
            // System.exit initialises the platform logging (to log Runtime.exit), a large part of
            // a client's start-up for nothing: a client command has no shutdown hooks and
            // nothing to clean up once its output is flushed. serve (shutdown hook) and the AOT
            // training run (the cache is written at a normal exit) still exit normally.
            cli.getOut().flush();
            cli.getErr().flush();
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(code);
        }
        System.exit(code);
    }

    /** The whole command line: every subcommand, for help, the man page, completion and the tests. */
    public static CommandLine commandLine() {
        CommandLine cli = configured();
        SUBCOMMANDS.forEach((name, command) -> cli.addSubcommand(name, command.get()));
        cli.addSubcommand("generate-man", new GenerateManCommand());
        cli.addSubcommand("generate-completion", new AutoComplete.GenerateCompletion());
        cli.addSubcommand("help", new PathHelpCommand());
        cli.addSubcommand("aot-training", new AotTrainingCommand());
        return withStandardHelp(cli);
    }

    /** For {@code args}: only the named subcommand when the command word names one, else the whole command line. */
    public static CommandLine commandLine(String[] args) {
        int at = commandIndex(args);
        Supplier<Object> only = at < args.length ? SUBCOMMANDS.get(args[at]) : null;
        if (only == null) {
            return commandLine();
        }
        CommandLine cli = configured();
        cli.addSubcommand(args[at], only.get());
        return withStandardHelp(cli);
    }

    /**
     * Every command has --help, -h, --version and -V (mixinStandardHelpOptions in each @Command;
     * HelpOnEveryCommandTest walks the tree for it); --version says the same everywhere. The help
     * mixin cannot be added here instead: picocli would pass it to a method subcommand as an argument.
     */
    private static CommandLine withStandardHelp(CommandLine cli) {
        CommandLine.IVersionProvider version = cli.getCommandSpec().versionProvider();
        addVersion(cli, version);
        return cli;
    }

    private static void addVersion(CommandLine cli, CommandLine.IVersionProvider version) {
        CommandLine.Model.CommandSpec spec = cli.getCommandSpec();
        if (spec.versionProvider() == null && spec.version().length == 0) {
            spec.versionProvider(version);
        }
        cli.getSubcommands().values().stream().distinct().forEach(sub -> addVersion(sub, version));
    }

    private static CommandLine configured() {
        CommandLine cli = new CommandLine(new OffloadCtl());
        cli.setExecutionExceptionHandler(Failures::report);
        // --log-level, -v and -q take effect before the command runs, whichever command they were given to.
        cli.setExecutionStrategy(parsed -> {
            LogSetup.apply(LoggingOptions.of(parsed));
            return new CommandLine.RunLast().execute(parsed);
        });
        return cli;
    }
}
