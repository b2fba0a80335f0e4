package io.nvmfoffload.ctl.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.Map;

/**
 * A man(7) page in troff, generated from the picocli command model, so it says exactly what
 * --help says: every command, its parameters and options, the exit codes. picocli-codegen's
 * generator writes AsciiDoc that needs asciidoctor to become a man page; this needs nothing.
 */
final class ManPage {
    private ManPage() {}

    static String render(CommandSpec root) {
        StringBuilder b = new StringBuilder();
        String name = root.name();
        b.append(".TH ").append(esc(name.toUpperCase())).append(" 1 \"\" \"").append(esc(name)).append("\" \"User Commands\"\n");
        b.append(".SH NAME\n").append(esc(name)).append(" \\- ").append(esc(root.usageMessage().description()[0])).append('\n');
        b.append(".SH SYNOPSIS\n.B ").append(esc(name)).append("\n[\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR]\n");
        b.append(".SH DESCRIPTION\n");
        for (String line : root.usageMessage().description()) {
            b.append(esc(line)).append("\n.PP\n");
        }
        options(b, root, true);
        b.append(".SH COMMANDS\n");
        commands(b, root, name);
        b.append(".SH EXIT STATUS\n");
        for (Map.Entry<String, String> e : root.usageMessage().exitCodeList().entrySet()) {
            b.append(".TP\n.B ").append(esc(e.getKey().trim())).append('\n').append(esc(e.getValue())).append('\n');
        }
        b.append(".SH FILES\n.TP\n.I /run/nvmf-offload/ctl.sock\nThe management socket of a target run by root "
                + "(\\fI$XDG_RUNTIME_DIR/nvmf-offload.sock\\fR for a user; \\fB$NVMF_OFFLOAD_SOCKET\\fR overrides).\n"
                + ".TP\n.I " + esc(ServeCommand.DEFAULT_CONFIG.toString()) + "\nThe configuration \\fBserve\\fR serves when given none "
                + "(the embedded quickstart when it does not exist).\n");
        return b.toString();
    }

    private static void commands(StringBuilder b, CommandSpec spec, String prefix) {
        for (CommandLine sub : spec.subcommands().values().stream().distinct().toList()) {
            CommandSpec s = sub.getCommandSpec();
            if (s.usageMessage().hidden()) {
                continue;
            }
            String full = prefix + " " + s.name();
            StringBuilder synopsis = new StringBuilder(full);
            for (PositionalParamSpec p : s.positionalParameters()) {
                synopsis.append(' ').append(p.arity().min == 0 ? "[" + p.paramLabel() + "]" : p.paramLabel());
            }
            b.append(".SS \"").append(esc(synopsis.toString())).append("\"\n");
            for (String line : s.usageMessage().description()) {
                b.append(esc(line)).append("\n.PP\n");
            }
            for (PositionalParamSpec p : s.positionalParameters()) {
                if (p.description().length > 0) {
                    b.append(".TP\n.I ").append(esc(p.paramLabel())).append('\n').append(esc(String.join(" ", p.description()))).append('\n');
                }
            }
            options(b, s, false);
            commands(b, s, full);
        }
    }

    /** Every command has --help, --version and the inherited logging options: the page lists them once, with the root's. */
    private static void options(StringBuilder b, CommandSpec spec, boolean root) {
        for (OptionSpec o : spec.options()) {
            if (o.hidden() || !root && (o.usageHelp() || o.versionHelp() || o.inherited())) {
                continue;
            }
            b.append(".TP\n.B ").append(esc(String.join(", ", o.names())));
            if (o.arity().max > 0 && !o.type().equals(boolean.class)) {
                b.append(" \\fI").append(esc(o.paramLabel())).append("\\fR");
            }
            String desc = String.join(" ", o.description()).replace("${DEFAULT-VALUE}", String.valueOf(o.defaultValue()));
            b.append('\n').append(esc(desc)).append('\n');
        }
    }

    private static String esc(String s) {
        String e = s.replace("\\", "\\e").replace("-", "\\-");
        return e.startsWith(".") || e.startsWith("'") ? "\\&" + e : e;
    }
}
