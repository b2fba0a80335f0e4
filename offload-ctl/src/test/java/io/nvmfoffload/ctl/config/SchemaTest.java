package io.nvmfoffload.ctl.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The shipped schema documents exactly the keys the Java validator accepts. */
class SchemaTest {
    private static JsonNode schema() throws Exception {
        try (InputStream in = ConfigReader.class.getResourceAsStream("offload-ctl-config.schema.json")) {
            assertNotNull(in, "the schema ships as a resource beside ConfigReader");
            return new ObjectMapper().readTree(in);
        }
    }

    @Test
    void everyKindTheValidatorReadsIsDocumentedWithExactlyItsKeys() throws Exception {
        JsonNode defs = schema().get("$defs");
        for (Map.Entry<String, List<String>> kind : ConfigKeys.all().entrySet()) {
            JsonNode def = defs.get(kind.getKey());
            assertNotNull(def, "schema has no $defs/" + kind.getKey());
            assertEquals(false, def.get("additionalProperties").asBoolean(true), kind.getKey() + " must forbid other keys");
            List<String> documented = new ArrayList<>();
            def.get("properties").fieldNames().forEachRemaining(documented::add);
            assertEquals(kind.getValue().stream().sorted().toList(), documented.stream().sorted().toList(), "$defs/" + kind.getKey());
        }
    }

    @Test
    void capabilityKeysAreTheRecordComponentsInSnakeCase() {
        assertEquals(Capabilities.keys(), ConfigKeys.all().get(ConfigKeys.CAPABILITIES));
    }

    @Test
    void documentsSchemaIdIsTheOneSavedFilesName() throws Exception {
        assertEquals(ConfigWriter.SCHEMA_ID, schema().get("$id").asText());
    }
}
