package io.nvmfoffload.ctl.cli;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Walks the whole command tree: every command path answers --help, -h and help PATH with its own usage. */
class HelpOnEveryCommandTest {
    /** picocli's label for an unlabelled value: the field or parameter name in angle brackets (<arg1>, <servicePort>). */
    private static final Pattern PLACEHOLDER = Pattern.compile("<[A-Za-z][A-Za-z0-9]*>");

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = OffloadCtl.commandLine(args);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** Every command below the root, as the words that name it ("host", "add"). */
    static List<List<String>> commandPaths() {
        List<List<String>> paths = new ArrayList<>();
        collect(OffloadCtl.commandLine(), List.of(), paths);
        return paths;
    }

    private static void collect(CommandLine cli, List<String> path, List<List<String>> into) {
        cli.getSubcommands().forEach((name, sub) -> {
            List<String> p = new ArrayList<>(path);
            p.add(name);
            into.add(p);
            collect(sub, p, into);
        });
    }

    private static void assertOwnUsage(List<String> path, Run r) {
        String name = "offload-ctl" + (path.isEmpty() ? "" : " " + String.join(" ", path));
        assertEquals(0, r.exit(), name + ": " + r.err());
        assertTrue(r.out().startsWith("Usage: " + name + " "), name + " printed:\n" + r.out());
        assertFalse(r.out().contains("<arg"), name + " usage has an <argN>:\n" + r.out());
        assertFalse(PLACEHOLDER.matcher(r.out()).find(), name + " usage has a <placeholder>:\n" + r.out());
    }

    @TestFactory
    Stream<DynamicTest> everyCommandPrintsItsUsageForHelpDashHAndHelpPath() {
        List<List<String>> paths = commandPaths();
        paths.addFirst(List.of());
        return paths.stream().flatMap(path -> {
            String name = path.isEmpty() ? "offload-ctl" : String.join(" ", path);
            List<String> help = new ArrayList<>(path);
            help.add("--help");
            List<String> h = new ArrayList<>(path);
            h.add("-h");
            List<String> helpPath = new ArrayList<>(List.of("help"));
            helpPath.addAll(path);
            return Stream.of(help, h, helpPath).map(args -> DynamicTest.dynamicTest(String.join(" ", args),
                    () -> assertOwnUsage(path, run(args.toArray(String[]::new)))));
        });
    }

    @Test
    void theTreeHasTheSubSubcommandsThatOnceLackedHelp() {
        List<String> names = commandPaths().stream().map(p -> String.join(" ", p)).toList();
        for (String expected : new String[] {"host add", "subsystem allow-host", "namespace add", "port link", "offload provider",
                "ulp-ddp set", "help", "generate-completion"}) {
            assertTrue(names.contains(expected), expected + " not in " + names);
        }
    }

    @Test
    void helpOfANestedPathShowsThatCommandNotItsParent() {
        Run r = run("help", "host", "add");
        assertTrue(r.out().startsWith("Usage: offload-ctl host add "), r.out());
        assertTrue(r.out().contains("HOSTNQN"), r.out());
        assertFalse(r.out().contains("Commands:"), "host's list of subcommands:\n" + r.out());
    }

    @Test
    void helpOfAnUnknownPathIsAUsageErrorNamingTheWord() {
        Run r = run("help", "host", "frobnicate");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("unknown subcommand 'frobnicate' of 'offload-ctl host'"), r.err());
        assertTrue(r.err().contains("add"), "the subcommands it has: " + r.err());
    }

    @Test
    void helpWorksBeforeARequiredParameterIsGiven() {
        Run r = run("port", "add", "--help");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("--transport=tcp|rdma"), r.out());
    }

    @Test
    void everyValueTakingOptionAndParameterHasALabelThatSaysWhatGoesThere() {
        List<String> unlabelled = new ArrayList<>();
        specs(OffloadCtl.commandLine().getCommandSpec()).forEach(spec -> {
            List<ArgSpec> args = new ArrayList<>(spec.positionalParameters());
            spec.options().stream().filter(o -> o.arity().max() > 0 && o.type() != boolean.class).forEach(args::add);
            for (ArgSpec a : args) {
                String label = a.paramLabel();
                if (label.startsWith("<") || !label.equals(label.toUpperCase()) && !label.contains("|")) {
                    unlabelled.add(spec.qualifiedName() + " " + (a.isOption() ? Arrays.toString(((CommandLine.Model.OptionSpec) a).names())
                            : "parameter " + ((CommandLine.Model.PositionalParamSpec) a).index()) + ": " + label);
                }
            }
        });
        assertEquals(List.of(), unlabelled);
    }

    @Test
    void manPageHasNoPlaceholderOrFieldNameLabels() {
        String man = ManPage.render(OffloadCtl.commandLine().getCommandSpec());
        Matcher m = PLACEHOLDER.matcher(man);
        assertFalse(m.find(), "a placeholder in the man page: " + (m.hitEnd() ? "" : m.group()));
        assertTrue(man.contains(".B \\-\\-transport \\fItcp|rdma\\fR"), "port add's --transport label");
        assertTrue(man.contains(".B \\-\\-serial \\fISERIAL\\fR"), "subsystem add's --serial label");
    }

    private static List<CommandSpec> specs(CommandSpec root) {
        List<CommandSpec> all = new ArrayList<>(List.of(root));
        root.subcommands().values().stream().distinct().forEach(sub -> all.addAll(specs(sub.getCommandSpec())));
        return all;
    }
}
