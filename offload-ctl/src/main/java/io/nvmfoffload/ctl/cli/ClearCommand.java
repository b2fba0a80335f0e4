package io.nvmfoffload.ctl.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.Console;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code offload-ctl clear}: remove every object of the running target. */
@Command(name = "clear", mixinStandardHelpOptions = true,
        description = {"Remove every port, subsystem, namespace and host of the running target (as nvmetcli clear), "
                + "links first. Connected hosts are disconnected. The offload provider setting stays.",
                "On a terminal it asks first; --yes does not ask. Without a terminal (a script, a pipe) it does not ask.",
                "Save first if you want it back: offload-ctl save FILE; offload-ctl clear; offload-ctl apply FILE."})
final class ClearCommand implements Callable<Integer> {
    /** Asks a question on the terminal; null when there is no terminal to ask on. */
    @FunctionalInterface
    interface Terminal {
        String ask(String question);

        Terminal CONSOLE = question -> {
            Console c = System.console();
            // isTerminal: since JDK 22 System.console() may return a Console for redirected streams too
            return c == null || !c.isTerminal() ? null : c.readLine("%s", question);
        };
    }

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
    boolean yes;

    Terminal terminal = Terminal.CONSOLE;

    @Override
    public Integer call() throws Exception {
        if (!yes) {
            String answer = terminal.ask("Remove every port, subsystem, namespace and host of the target at " + client.socket()
                    + "? Connected hosts are disconnected. [y/N] ");
            if (answer != null && !answer.strip().toLowerCase(Locale.ROOT).matches("y|yes")) {
                spec.commandLine().getErr().println("clear: not confirmed; nothing was removed (--yes skips the question)");
                spec.commandLine().getErr().flush();
                return OffloadCtl.EXIT_FAILED;
            }
        }
        return Rpc.runWithProgress(spec, client, "config.clear", Rpc.params(), Output::plan);
    }
}
