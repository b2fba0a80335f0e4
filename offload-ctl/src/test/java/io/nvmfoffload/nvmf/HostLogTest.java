package io.nvmfoffload.nvmf;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostLogTest {
    /** Records what reaches the backend. */
    private static final class Recording implements System.Logger {
        final List<String> lines = new ArrayList<>();

        @Override
        public String getName() {
            return "recording";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            lines.add(msg);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(java.text.MessageFormat.format(format, params));
        }
    }

    @Test
    void aBurstOfHostCausedLinesIsCutToTenPerWindowAndTheDroppedAreCounted() {
        Recording backend = new Recording();
        HostLog log = new HostLog(backend);
        for (int i = 0; i < 1000; i++) {
            log.log(System.Logger.Level.WARNING, "host {0} sent a bad PDU", i);
        }
        assertEquals(HostLog.BURST, backend.lines.size(), "a thousand hostile lines become ten");
        assertEquals(1000 - HostLog.BURST, log.suppressed());
        assertTrue(backend.lines.getFirst().contains("host 0"));
    }
}
