package io.nvmfoffload.ctl.config;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The JSON configuration loader under Jazzer. Every build runs the seed corpus (the shipped
 * example configurations and any crash found since) in regression mode; {@code scripts/fuzz.sh}
 * fuzzes it.
 */
class ConfigReaderFuzzTest {
    /**
     * Any text is either a configuration, which writes back to a document that reads as the same
     * configuration, or refused with InvalidConfigException whose errors each carry a JSON pointer
     * and a message. Nothing else may escape: no NullPointerException, ClassCastException,
     * arithmetic overflow or stack overflow from a hostile document.
     */
    @FuzzTest(maxDuration = "10m")
    void anyTextIsReadOrRefusedWithPointers(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        TargetConfig config;
        try {
            config = ConfigReader.read(text);
        } catch (InvalidConfigException e) {
            assertFalse(e.errors().isEmpty(), "refused without saying why");
            for (ConfigError error : e.errors()) {
                assertNotNull(error.pointer(), "an error without a pointer: " + error);
                assertFalse(error.message() == null || error.message().isBlank(), "an error without a message at " + error.pointer());
            }
            return;
        }
        assertEquals(ConfigWriter.toJson(config), ConfigWriter.toJson(ConfigReader.read(ConfigWriter.toJson(config))),
                "a valid configuration written back must read as itself");
    }
}
