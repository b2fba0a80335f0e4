package io.nvmfoffload.ctl.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Reads one JSON object of a kind the schema defines ({@code $defs/<kind>}) after the schema
 * validator has seen the document: a value the validator refused (or one with a refused value
 * inside) reads as null without a second error, so the semantic checks run on what is left.
 * The one check made here is on a size given as a string, whose byte count the schema cannot see.
 */
final class Fields {
    private final JsonNode node;
    private final String pointer;
    private final String kind;
    private final NavigableSet<String> refused;
    private final List<ConfigError> errors;

    private Fields(JsonNode node, String pointer, String kind, NavigableSet<String> refused, List<ConfigError> errors) {
        this.node = node;
        this.pointer = pointer;
        this.kind = kind;
        this.refused = refused;
        this.errors = errors;
    }

    /** A reader for {@code node}, or null when it is not an object (the validator said so). */
    static Fields of(JsonNode node, String pointer, String kind, NavigableSet<String> refused, List<ConfigError> errors) {
        return node == null || !node.isObject() ? null : new Fields(node, pointer, kind, refused, errors);
    }

    /** A reader for the object at {@code key} of this one, or null when absent or not an object. */
    Fields object(String key, String kind) {
        return of(raw(key), at(key), kind, refused, errors);
    }

    String pointer() {
        return pointer;
    }

    String at(String key) {
        return Pointer.child(pointer, declared(key));
    }

    void error(String key, String message) {
        errors.add(new ConfigError(at(key), message));
    }

    /** An error about this object as a whole. */
    void error(String message) {
        errors.add(new ConfigError(pointer, message));
    }

    boolean has(String key) {
        JsonNode v = node.get(declared(key));
        return v != null;
    }

    JsonNode raw(String key) {
        return node.get(declared(key));
    }

    /** Whether the validator refused the value at {@code pointer} or one inside it. */
    static boolean refused(NavigableSet<String> refused, String pointer) {
        return refused.contains(pointer) || !refused.subSet(pointer + "/", pointer + "0").isEmpty();
    }

    /** Whether the key is there and the validator refused its value or one inside it. */
    boolean refused(String key) {
        return has(key) && refused(refused, at(key));
    }

    private boolean usable(String key) {
        return has(key) && !refused(refused, at(key));
    }

    /** The keys each kind's reader asked for, so a test can find a schema key that no code reads. */
    static final Map<String, Set<String>> READ = new ConcurrentHashMap<>();

    private String declared(String key) {
        if (!ConfigSchema.keys(kind).contains(key)) {
            throw new IllegalStateException("key '" + key + "' is not in the schema's $defs/" + kind);
        }
        READ.computeIfAbsent(kind, k -> ConcurrentHashMap.newKeySet()).add(key);
        return key;
    }

    String string(String key, String def) {
        return !has(key) ? def : usable(key) ? raw(key).textValue() : null;
    }

    Boolean bool(String key, Boolean def) {
        return !has(key) ? def : usable(key) ? raw(key).booleanValue() : null;
    }

    Long integer(String key, Long def) {
        return !has(key) ? def : usable(key) ? raw(key).longValue() : null;
    }

    /**
     * A byte size. An integer the validator checked against the key's minimum, maximum and
     * multipleOf; a string such as "256MiB" is held to the same rules here, once it is a number.
     */
    Long size(String key, Long def) {
        if (!has(key)) {
            return def;
        }
        if (!usable(key)) {
            return null;
        }
        JsonNode v = raw(key);
        if (!v.isTextual()) {
            return v.longValue();
        }
        JsonNode rule = ConfigSchema.property(kind, key);
        long bytes = DocumentSizes.parse(v.textValue());
        long min = rule.path("minimum").asLong(0);
        long max = rule.path("maximum").asLong(Long.MAX_VALUE);
        long multiple = rule.path("multipleOf").asLong(1);
        String text = "'" + v.textValue() + "'";
        if (bytes < 0) {
            error(key, text + " is more bytes than a 64-bit count holds: expected " + min + " to " + max + " bytes");
        } else if (bytes < min || bytes > max) {
            error(key, text + " is " + bytes + " bytes, out of range: expected " + min + " to " + max + " bytes");
        } else if (bytes % multiple != 0) {
            error(key, text + " is " + bytes + " bytes, not a multiple of " + multiple);
        } else {
            return bytes;
        }
        return null;
    }

    /** Each element of an array member, with its pointer; a missing array is empty. */
    void each(String key, BiConsumer<JsonNode, String> element) {
        JsonNode v = raw(key);
        if (v == null || !v.isArray()) {
            return;
        }
        for (int i = 0; i < v.size(); i++) {
            element.accept(v.get(i), Pointer.child(at(key), i));
        }
    }

    /** The elements of an array member that the validator did not refuse, with their pointers. */
    void eachAccepted(String key, BiConsumer<JsonNode, String> element) {
        each(key, (v, p) -> {
            if (!refused(refused, p)) {
                element.accept(v, p);
            }
        });
    }
}
