package io.nvmfoffload.ctl.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shipped JSON Schema, the one statement of what each value of a document must be. It is
 * compiled once per process (compiling costs far more than validating) and every document is
 * validated with it before the semantic checks of {@link ConfigReader}.
 */
public final class ConfigSchema {
    public static final String RESOURCE = "offload-ctl-config.schema.json";

    private static final Map<String, Set<String>> KEYS = new ConcurrentHashMap<>();

    private ConfigSchema() {}

    /** Loaded on first use, so CLI commands that read no document do not pay for it. */
    private static final class Holder {
        static final String TEXT = load();
        static final JsonNode NODE = parse(TEXT);
        static final Schema SCHEMA = compile(NODE);
    }

    /** The schema as shipped, for {@code offload-ctl schema}. */
    public static String text() {
        return Holder.TEXT;
    }

    static JsonNode node() {
        return Holder.NODE;
    }

    /**
     * Every value of {@code document} that breaks a rule of the schema, in the validator's order,
     * at most one per pointer (a float size breaks both "type" and "multipleOf"; the first says it).
     */
    static List<ConfigError> validate(JsonNode document) {
        List<ConfigError> errors = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (com.networknt.schema.Error e : Holder.SCHEMA.validate(document)) {
            ConfigError error = SchemaMessages.of(e, Holder.NODE);
            if (seen.add(error.pointer())) {
                errors.add(error);
            }
        }
        return errors;
    }

    /** The keys the schema allows in an object of {@code kind}, a name in its {@code $defs}. */
    static Set<String> keys(String kind) {
        return KEYS.computeIfAbsent(kind, k -> {
            Set<String> keys = new LinkedHashSet<>();
            definition(k).path("properties").fieldNames().forEachRemaining(keys::add);
            return Collections.unmodifiableSet(keys);
        });
    }

    /** The schema of {@code key} in an object of {@code kind}. */
    static JsonNode property(String kind, String key) {
        return definition(kind).path("properties").path(key);
    }

    private static JsonNode definition(String kind) {
        JsonNode def = Holder.NODE.path("$defs").path(kind);
        if (def.isMissingNode()) {
            throw new IllegalStateException("the schema has no $defs/" + kind);
        }
        return def;
    }

    private static String load() {
        try (InputStream in = ConfigSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode parse(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(RESOURCE + " is not JSON", e);
        }
    }

    private static Schema compile(JsonNode node) {
        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(node);
        schema.initializeValidators();
        return schema;
    }
}
