package io.nvmfoffload.ctl.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Reads one JSON object of a declared kind: typed getters that report a wrong type or range with the
 * member's pointer and return null, so reading goes on and every error of a document is collected.
 * Unknown keys are reported when the reader is created.
 */
final class Fields {
    private final JsonNode node;
    private final String pointer;
    private final String kind;
    private final List<String> keys;
    private final List<ConfigError> errors;

    private Fields(JsonNode node, String pointer, String kind, List<ConfigError> errors) {
        this.node = node;
        this.pointer = pointer;
        this.kind = kind;
        this.keys = ConfigKeys.of(kind);
        this.errors = errors;
    }

    /** A reader for {@code node}, or null (with an error) when it is not an object. */
    static Fields of(JsonNode node, String pointer, String kind, List<ConfigError> errors) {
        if (node == null || !node.isObject()) {
            errors.add(new ConfigError(pointer, "expected " + article(kind) + " object, found " + describe(node)));
            return null;
        }
        Fields f = new Fields(node, pointer, kind, errors);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!f.keys.contains(key)) {
                errors.add(new ConfigError(Pointer.child(pointer, key), "unknown key '" + key + "' in " + article(kind)
                        + " object; expected one of " + f.keys));
            }
        }
        return f;
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

    boolean has(String key) {
        JsonNode v = node.get(declared(key));
        return v != null && !v.isNull();
    }

    JsonNode raw(String key) {
        return node.get(declared(key));
    }

    private String declared(String key) {
        if (!keys.contains(key)) {
            throw new IllegalStateException("key '" + key + "' is not declared for " + kind + " in ConfigKeys");
        }
        return key;
    }

    private boolean missing(String key, boolean required) {
        if (has(key)) {
            return false;
        }
        if (required) {
            errors.add(new ConfigError(at(key), "required key '" + key + "' is missing from " + article(kind) + " object"));
        }
        return true;
    }

    String string(String key, boolean required, String def) {
        if (missing(key, required)) {
            return def;
        }
        JsonNode v = raw(key);
        if (!v.isTextual()) {
            error(key, "expected a string, found " + describe(v));
            return null;
        }
        return v.textValue();
    }

    Boolean bool(String key, boolean def) {
        if (missing(key, false)) {
            return def;
        }
        JsonNode v = raw(key);
        if (!v.isBoolean()) {
            error(key, "expected true or false, found " + describe(v));
            return null;
        }
        return v.booleanValue();
    }

    /** An integer within [min, max]; null (reported) otherwise. */
    Long integer(String key, boolean required, Long def, long min, long max) {
        if (missing(key, required)) {
            return def;
        }
        JsonNode v = raw(key);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            error(key, "expected an integer from " + min + " to " + max + ", found " + describe(v));
            return null;
        }
        return inRange(key, v.longValue(), min, max);
    }

    /** A byte size (integer or "256MiB") within [min, max]. */
    Long size(String key, boolean required, Long def, long min, long max) {
        if (missing(key, required)) {
            return def;
        }
        JsonNode v = raw(key);
        long bytes = v.isIntegralNumber() && v.canConvertToLong() ? v.longValue() : v.isTextual() ? Sizes.parse(v.textValue()) : -1;
        if (bytes < 0) {
            error(key, "expected " + Sizes.EXPECTED + ", found " + describe(v));
            return null;
        }
        return inRange(key, bytes, min, max);
    }

    private Long inRange(String key, long value, long min, long max) {
        if (value < min || value > max) {
            error(key, value + " is out of range: expected " + min + " to " + max);
            return null;
        }
        return value;
    }

    /** Each element of an array member, with its pointer; a missing array is empty. */
    void each(String key, BiConsumer<JsonNode, String> element) {
        if (missing(key, false)) {
            return;
        }
        JsonNode v = raw(key);
        if (!v.isArray()) {
            error(key, "expected an array, found " + describe(v));
            return;
        }
        for (int i = 0; i < v.size(); i++) {
            element.accept(v.get(i), Pointer.child(at(key), i));
        }
    }

    /** The strings of an array member; non-strings are reported and skipped. */
    List<String> strings(String key) {
        List<String> out = new ArrayList<>();
        each(key, (v, p) -> {
            if (v.isTextual()) {
                out.add(v.textValue());
            } else {
                errors.add(new ConfigError(p, "expected a string, found " + describe(v)));
            }
        });
        return out;
    }

    static String describe(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "nothing";
        }
        if (v.isNull()) {
            return "null";
        }
        String text = v.toString();
        if (text.length() > 60) {
            text = text.substring(0, 57) + "...";
        }
        return v.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + text;
    }

    private static String article(String kind) {
        String name = kind.replace('_', ' ');
        return ("aeiou".indexOf(name.charAt(0)) >= 0 ? "an " : "a ") + name;
    }
}
