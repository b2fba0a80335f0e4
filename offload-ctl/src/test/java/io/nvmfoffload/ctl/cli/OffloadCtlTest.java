package io.nvmfoffload.ctl.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OffloadCtlTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = OffloadCtl.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void unknownSubcommandIsAUsageErrorThatNamesIt() {
        assertEquals(2, run("frobnicate"));
        assertTrue(err.toString().contains("frobnicate"), err.toString());
    }

    @Test
    void helpListsTheDevicesCommandAndExitCodes() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString().contains("devices"), out.toString());
        assertTrue(out.toString().contains("Exit codes"), out.toString());
    }

    @Test
    void devicesAsJsonAlwaysSaysWhyWhenThereAreNone() {
        assertEquals(0, run("devices", "--json"));
        String json = out.toString();
        assertTrue(json.contains("\"devices\""), json);
        assertTrue(json.contains("\"devices\" : [ ]") == json.contains("\"unavailableReason\" : \""),
                "an empty device list must come with a reason:\n" + json);
    }
}
