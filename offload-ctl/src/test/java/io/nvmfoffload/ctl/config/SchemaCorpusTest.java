package io.nvmfoffload.ctl.config;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Good and bad documents under corpus/, listed in corpus/index.tsv with the verdict each must get:
 * "valid" from the schema validator and from the reader; "schema" (a fault of one value) refused by
 * the schema validator alone, and so by the reader; "semantic" accepted by the schema and refused by
 * the checks after it; "syntax" refused by the strict parser before any schema sees it. The first
 * error's pointer is asserted as well.
 */
class SchemaCorpusTest {
    private static final String DIR = "corpus/";

    static Stream<Arguments> corpus() throws IOException {
        return index().stream().map(line -> line.split("\t", -1)).map(f -> Arguments.of(f[0], f[1], f[2]));
    }

    private static List<String> index() throws IOException {
        return read("index.tsv").lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
    }

    private static String read(String name) throws IOException {
        try (InputStream in = SchemaCorpusTest.class.getResourceAsStream(DIR + name)) {
            assertNotNull(in, DIR + name + " is missing");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("corpus")
    void everyDocumentGetsItsVerdict(String file, String verdict, String pointer) throws IOException {
        String text = read(file);
        if (verdict.equals("syntax")) {
            InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigReader.parse(text));
            assertEquals(pointer, e.errors().getFirst().pointer(), e.getMessage());
            return;
        }
        JsonNode doc = ConfigReader.parse(text);
        List<ConfigError> schemaErrors = ConfigSchema.validate(doc);
        switch (verdict) {
            case "valid" -> {
                assertEquals(List.of(), schemaErrors, "the schema validator accepts " + file);
                ConfigReader.read(doc);
            }
            case "schema" -> {
                assertFalse(schemaErrors.isEmpty(), "the schema validator alone refuses " + file);
                assertEquals(pointer, schemaErrors.getFirst().pointer(), schemaErrors.toString());
                InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigReader.read(doc));
                assertEquals(schemaErrors, e.errors().subList(0, schemaErrors.size()), "validate reports the schema's errors first");
            }
            case "semantic" -> {
                assertEquals(List.of(), schemaErrors, "a fault no schema can state: the schema validator accepts " + file);
                InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigReader.read(doc));
                assertEquals(pointer, e.errors().getFirst().pointer(), e.getMessage());
            }
            default -> throw new AssertionError("unknown verdict " + verdict + " for " + file);
        }
    }

    @Test
    void theIndexListsEveryFileAndCoversEveryObjectKind() throws IOException {
        Set<String> listed = new TreeSet<>();
        index().forEach(l -> listed.add(l.split("\t")[0]));
        Set<String> present = new TreeSet<>(List.of(read("").split("\n")));
        present.remove("index.tsv");
        assertEquals(present, listed, "every corpus file has a verdict in index.tsv");
        assertTrue(listed.size() >= 30, "at least 30 documents");
        for (String kind : ConfigSchema.node().get("$defs").properties().stream()
                .filter(d -> d.getValue().has("properties")).map(java.util.Map.Entry::getKey).toList()) {
            assertTrue(listed.stream().anyMatch(f -> f.startsWith("bad-unknown-key-" + kind.replace('_', '-'))
                    || kind.equals("offload_provider") && f.startsWith("bad-unknown-key-provider")
                    || kind.equals("capabilities") && f.startsWith("bad-unknown-key-capabilities")),
                    "an unknown key in a " + kind + " object");
        }
    }
}
