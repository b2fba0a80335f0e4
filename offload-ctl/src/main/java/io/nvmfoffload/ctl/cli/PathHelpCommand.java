package io.nvmfoffload.ctl.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;

/**
 * {@code offload-ctl help [COMMAND...]}: the usage of the command at a path of any depth, such as
 * {@code help host add}. picocli's own HelpCommand looks up only the first word, so it prints
 * {@code host}'s usage for {@code help host add}.
 */
@Command(name = "help", mixinStandardHelpOptions = true, helpCommand = true,
        description = {"Show the usage of offload-ctl, or of the command at COMMAND (e.g. 'help host add').",
                "The same as COMMAND --help."})
final class PathHelpCommand implements CommandLine.IHelpCommandInitializable2, Runnable {
    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "A command path, e.g.: host add")
    String[] path = new String[0];

    private CommandLine self;
    private Help.ColorScheme colors;
    private PrintWriter out;

    @Override
    public void init(CommandLine helpCommandLine, Help.ColorScheme colorScheme, PrintWriter out, PrintWriter err) {
        this.self = helpCommandLine;
        this.colors = colorScheme;
        this.out = out;
    }

    @Override
    public void run() {
        CommandLine parent = self == null ? null : self.getParent();
        if (parent == null) {
            return;
        }
        CommandLine shown = parent;
        for (String word : path) {
            CommandLine sub = shown.getSubcommands().get(word);
            if (sub == null) {
                String name = shown.getCommandSpec().qualifiedName();
                throw new CommandLine.ParameterException(shown, shown.getSubcommands().isEmpty()
                        ? "'" + name + "' has no subcommand '" + word + "'"
                        : "unknown subcommand '" + word + "' of '" + name + "'; expected one of: "
                        + String.join(", ", shown.getSubcommands().keySet()), null, word);
            }
            shown = sub;
        }
        shown.usage(out, colors);
        out.flush();
    }
}
