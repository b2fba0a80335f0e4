package io.nvmfoffload.softroce.bed;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BedLauncherTest {
    @Test
    void quotingSurvivesSingleQuotesInPaths() {
        assertEquals("'it'\\''s'", BedLauncher.quote("it's"));
    }

    @Test
    void commandSelectsTheTagAndWritesReportsWhereAsked() {
        String cmd = new BedLauncher(Path.of("/jdk"), "/a.jar:/b", Path.of("/tc"), List.of("softroce.x=1"))
                .command("in-guest", Path.of("/r"));
        assertTrue(cmd.startsWith("'/jdk/bin/java' "), cmd);
        assertTrue(cmd.contains("'-Dsoftroce.x=1'"), cmd);
        assertTrue(cmd.contains("--include-tag 'in-guest'"), cmd);
        assertTrue(cmd.contains("--reports-dir '/r'"), cmd);
        assertTrue(cmd.contains("--scan-classpath '/tc'"), cmd);
    }
}
