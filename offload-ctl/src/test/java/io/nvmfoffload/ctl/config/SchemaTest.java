package io.nvmfoffload.ctl.config;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The shipped schema is the one list of keys: the reader reads every key it allows, and no other. */
class SchemaTest {
    /** One object of every kind, each key of each kind at least once (the reader asks for a key whether or not it is there). */
    private static final String EVERY_KIND = """
            {"$schema": "urn:nvmf-offload:offload-ctl-config:1",
             "hosts": [{"nqn": "h1"}],
             "offload_provider": {"name": "emulated", "profile": {"max_srq_namespaces": 8}},
             "limits": {"pdu_timeout_ms": 5000},
             "subsystems": [{"nqn": "s1", "allowed_hosts": ["h1"], "offload": {"ops": ["read"]}, "namespaces": [
               {"nsid": 1, "store": {"type": "ram", "size": "1MiB"}},
               {"nsid": 2, "store": {"type": "file", "path": "/tmp/x.img", "create_size": "1MiB"}},
               {"nsid": 3, "store": {"type": "block", "path": "/dev/null"}}]}],
             "ports": [{"id": 1, "transport": "rdma", "address": "10.0.0.1", "subsystems": ["s1"], "rdma": {}},
                       {"id": 2, "transport": "tcp", "address": "10.0.0.1", "tcp": {}}]}""";

    @Test
    void theReaderReadsExactlyTheKeysTheSchemaAllowsInEveryObjectKind() {
        ConfigReader.read(EVERY_KIND);
        JsonNode defs = ConfigSchema.node().get("$defs");
        List<String> kinds = new ArrayList<>();
        defs.fieldNames().forEachRemaining(kind -> {
            if (defs.get(kind).has("properties")) {
                kinds.add(kind);
                assertEquals(false, defs.get(kind).get("additionalProperties").asBoolean(true), kind + " must forbid other keys");
                Set<String> allowed = new TreeSet<>(ConfigSchema.keys(kind));
                allowed.remove("$schema"); // lets editors find the schema; nothing to read
                assertEquals(allowed, new TreeSet<>(Fields.READ.getOrDefault(kind, Set.of())),
                        "$defs/" + kind + ": the keys the schema allows and the keys the reader reads");
            }
        });
        assertEquals(new TreeSet<>(kinds), new TreeSet<>(Fields.READ.keySet()), "every kind the reader reads is a $defs of the schema");
    }

    @Test
    void capabilityKeysAreTheRecordComponentsInSnakeCase() {
        assertEquals(Capabilities.keys(), List.copyOf(ConfigSchema.keys("capabilities")));
    }

    @Test
    void documentsSchemaIdIsTheOneSavedFilesName() {
        assertNotNull(ConfigSchema.text());
        assertEquals(ConfigWriter.SCHEMA_ID, ConfigSchema.node().get("$id").asText());
    }
}
