package io.nvmfoffload.ctl.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The man page and the shell completion come from the command model, so every command is in them. */
class GeneratedDocsTest {
    private final StringWriter out = new StringWriter();

    private int run(String... args) {
        CommandLine cli = OffloadCtl.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(new StringWriter(), true));
        return cli.execute(args);
    }

    @Test
    void manPageDocumentsEveryCommandAndTheExitCodes(@TempDir Path dir) throws Exception {
        Path page = dir.resolve("offload-ctl.1");
        assertEquals(0, run("generate-man", page.toString()));
        String man = Files.readString(page);
        assertTrue(man.startsWith(".TH OFFLOAD\\-CTL 1"), man.substring(0, 40));
        for (String cmd : new String[] {"serve", "apply", "plan", "save", "clear", "status", "stats", "events", "devices", "caps",
                "host add", "subsystem allow\\-host", "namespace add", "port link", "offload set"}) {
            assertTrue(man.contains(".SS \"offload\\-ctl " + cmd), "man page lacks " + cmd);
        }
        assertTrue(man.contains(".SH EXIT STATUS") && man.contains("no target answers"), "exit codes");
    }

    @Test
    void bashCompletionCompletesSubcommands() {
        assertEquals(0, run("generate-completion"));
        String script = out.toString();
        assertTrue(script.contains("complete -F"), "a bash completion script");
        assertTrue(script.contains("subsystem") && script.contains("allow-host"), "it knows the object commands");
    }

    @Test
    void helpTeachesWhereToStart() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString().contains("Start here"), out.toString());
        assertTrue(out.toString().contains("3   no target answers"), out.toString());
    }
}
