package io.nvmfoffload.ctl.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns the schema validator's errors into {@link ConfigError}s: an RFC 6901 pointer to the value
 * (for a missing or unknown key, to the key itself) and a message that says what was found and what
 * the schema expected. A schema's "errorMessage" (the keyword editors show) says what is expected of
 * a value whose rule is a pattern.
 */
final class SchemaMessages {
    private SchemaMessages() {}

    static ConfigError of(Error e, JsonNode schema) {
        String at = e.getInstanceLocation().toString();
        String location = e.getSchemaLocation().toString();
        String fragment = location.substring(location.indexOf('#') + 1);
        String parentPath = fragment.substring(0, Math.max(0, fragment.lastIndexOf('/')));
        JsonNode parent = schema.at(parentPath);
        JsonNode found = e.getInstanceNode();
        return switch (e.getKeyword()) {
            case "required" -> new ConfigError(Pointer.child(at, e.getProperty()),
                    "required key '" + e.getProperty() + "' is missing from " + objectName(parentPath));
            case "additionalProperties" -> new ConfigError(Pointer.child(at, e.getProperty()), "unknown key '" + e.getProperty()
                    + "' in " + objectName(parentPath) + "; expected one of " + keys(parent));
            default -> new ConfigError(at, value(e, parent, parentPath, found));
        };
    }

    private static String value(Error e, JsonNode parent, String parentPath, JsonNode found) {
        String keyword = e.getKeyword();
        JsonNode rule = e.getSchemaNode();
        if (parent.path("errorMessage").isTextual() && !keyword.equals("uniqueItems") && !keyword.equals("minItems")) {
            return parent.get("errorMessage").textValue() + ", found " + describe(found);
        }
        return switch (keyword) {
            case "type" -> "expected " + types(rule, parentPath) + ", found " + describe(found);
            case "enum" -> "expected " + oneOf(rule) + ", found " + describe(found);
            case "const" -> "expected " + rule + ", found " + describe(found);
            case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum" ->
                    found + " is out of range: expected " + range(parent);
            case "multipleOf" -> found + " is not a multiple of " + rule;
            case "minItems" -> "expected at least " + rule + " item(s), found " + describe(found);
            case "uniqueItems" -> repeated(found) + " is listed twice; expected each item once";
            case "minLength", "maxLength" -> "expected " + parent.path("minLength").asInt(0) + " to "
                    + parent.path("maxLength").asText("any number of") + " characters, found " + describe(found);
            case "pattern" -> "expected a string matching " + rule + ", found " + describe(found);
            default -> e.getMessage() + ", found " + describe(found);
        };
    }

    /** "a namespace object" for $defs/namespace, "a store object" for .../properties/store. */
    private static String objectName(String schemaPath) {
        String[] parts = schemaPath.split("/");
        String name = parts.length >= 2 && (parts[parts.length - 2].equals("$defs") || parts[parts.length - 2].equals("properties"))
                ? parts[parts.length - 1].replace('_', ' ') : "this";
        return article(name) + " object";
    }

    private static String types(JsonNode rule, String parentPath) {
        List<String> names = new ArrayList<>();
        for (JsonNode t : rule.isArray() ? rule : List.of(rule)) {
            names.add(t.asText().equals("object") ? objectName(parentPath) : article(t.asText()));
        }
        return String.join(" or ", names);
    }

    private static String oneOf(JsonNode values) {
        List<String> texts = new ArrayList<>();
        values.forEach(v -> texts.add(v.toString()));
        String all = texts.size() == 1 ? texts.getFirst() : String.join(", ", texts.subList(0, texts.size() - 1)) + " or " + texts.getLast();
        return texts.size() > 2 ? "one of " + all : all;
    }

    private static String range(JsonNode rule) {
        boolean min = rule.has("minimum");
        boolean max = rule.has("maximum");
        return min && max ? rule.get("minimum") + " to " + rule.get("maximum")
                : min ? "at least " + rule.get("minimum") : "at most " + rule.get("maximum");
    }

    private static List<String> keys(JsonNode rule) {
        List<String> keys = new ArrayList<>();
        rule.path("properties").fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private static String repeated(JsonNode array) {
        Set<JsonNode> seen = new HashSet<>();
        for (JsonNode item : array) {
            if (!seen.add(item)) {
                return item.toString();
            }
        }
        return "an item";
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
        return v.getNodeType().name().toLowerCase(Locale.ROOT) + " " + text;
    }

    private static String article(String name) {
        return ("aeiou".indexOf(name.charAt(0)) >= 0 ? "an " : "a ") + name;
    }
}
