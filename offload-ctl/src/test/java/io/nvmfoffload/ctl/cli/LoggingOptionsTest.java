package io.nvmfoffload.ctl.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --log-level, -v and -q on every command, before or after its word; and which document serve serves. */
class LoggingOptionsTest {
    private static LoggingOptions.Verbosity parse(String... args) {
        return LoggingOptions.of(OffloadCtl.commandLine(args).parseArgs(args));
    }

    @Test
    void theOptionsWorkBeforeAndAfterTheCommandWordOfServeAndOfClients() {
        assertEquals(Level.DEBUG, parse("-v", "apply", "x.json").level());
        assertEquals(Level.TRACE, parse("status", "-vv").level());
        assertEquals(Level.WARNING, parse("host", "list", "-q").level());
        assertEquals(Level.DEBUG, parse("serve", "--log-level=debug").level());
        assertEquals(Level.WARNING, parse("--log-level", "WARN", "serve").level());
        assertEquals(Level.ERROR, parse("-v", "--log-level", "error", "status").level(), "an explicit level wins over -v");
        LoggingOptions.Verbosity none = parse("status");
        assertEquals(null, none.level(), "no option: logging is left as the JVM has it");
        assertFalse(none.verbose() || none.quiet());
        assertTrue(parse("apply", "x.json", "--verbose").verbose());
    }

    @Test
    void contradictionsAndUnknownLevelsAreUsageErrors() {
        StringWriter err = new StringWriter();
        CommandLine cli = OffloadCtl.commandLine(new String[] {"status"});
        cli.setErr(new PrintWriter(err, true));
        assertEquals(2, cli.execute("status", "-v", "-q"));
        assertTrue(err.toString().contains("-v and -q contradict"), err.toString());

        StringWriter err2 = new StringWriter();
        CommandLine cli2 = OffloadCtl.commandLine(new String[] {"status"});
        cli2.setErr(new PrintWriter(err2, true));
        assertEquals(2, cli2.execute("status", "--log-level", "loud"));
        assertTrue(err2.toString().contains("'loud' is not a log level"), err2.toString());
    }

    @Test
    void theCommandWordIsFoundAfterLoggingOptions() {
        assertEquals(3, OffloadCtl.commandIndex(new String[] {"-v", "--log-level", "debug", "status"}));
        assertEquals(3, OffloadCtl.commandIndex(new String[] {"--log-level=info", "-q", "--json", "host", "list"}));
    }

    @Test
    void progressIsShownWithVerboseNeverWhenQuiet() {
        assertTrue(LogSetup.showProgress(new LoggingOptions.Verbosity(Level.DEBUG, true, false)));
        assertFalse(LogSetup.showProgress(new LoggingOptions.Verbosity(Level.WARNING, false, true)));
    }

    @Test
    void everyCommandListsTheLoggingOptionsInItsHelp() {
        StringWriter out = new StringWriter();
        CommandLine cli = OffloadCtl.commandLine(new String[] {"host"});
        cli.setOut(new PrintWriter(out, true));
        assertEquals(0, cli.execute("host", "add", "--help"));
        assertTrue(out.toString().contains("--log-level=LEVEL") && out.toString().contains("-v, --verbose"), out.toString());
    }

    private static ServeCommand serve(Path defaultConfig, String... args) {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs(args);
        serve.defaultConfig = defaultConfig;
        return serve;
    }

    @Test
    void serveWithoutConfigServesTheDefaultFileWhenItExistsElseTheQuickstart(@TempDir Path dir) throws Exception {
        Path absent = dir.resolve("absent.json");
        ServeCommand.Source quick = serve(absent).source();
        assertTrue(quick.description().startsWith("the embedded quickstart (no CONFIG given and no " + absent), quick.description());

        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\"hosts\": [], \"subsystems\": [], \"ports\": []}");
        ServeCommand.Source def = serve(file).source();
        assertEquals("configuration " + file + " (the default: no CONFIG given)", def.description());
        assertTrue(def.document().path("subsystems").isEmpty());

        assertTrue(serve(file, "--quickstart", "--port", "4421").source().description().startsWith("the embedded quickstart (--quickstart)"));
        CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class, () -> serve(file, "--port", "4421").source());
        assertTrue(e.getMessage().contains("add --quickstart"), e.getMessage());
        assertThrows(CommandLine.ParameterException.class, () -> serve(absent, "--quickstart", file.toString()).source());
    }
}
