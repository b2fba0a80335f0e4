package io.nvmfoffload.ctl.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.io.ContentReference;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Strict JSON reading for documents and requests, and Jackson's parse errors in the user's words.
 * A key given twice in one object is refused: Jackson would keep the last one, so a document with
 * a repeated "subsystems" would silently lose the first list (and applying it remove those
 * subsystems).
 */
public final class JsonSyntax {
    /** Refuses repeated keys and text after the document. */
    public static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final String DUPLICATE = "Duplicate field '";

    private JsonSyntax() {}

    /**
     * What is wrong, with line and column: a repeated key at its own JSON pointer (the second
     * occurrence), any other syntax error at the document root, since the text is no document yet.
     */
    public static ConfigError error(JsonProcessingException e) {
        JsonStreamContext ctx = e instanceof StreamReadException r && r.getProcessor() != null ? r.getProcessor().getParsingContext() : null;
        String at = at(e.getLocation());
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (ctx != null && ctx.inObject() && original.startsWith(DUPLICATE)) {
            return new ConfigError(ctx.pathAsPointer().toString(), "key \"" + ctx.getCurrentName() + "\" appears twice in this object"
                    + at + "; expected each key once (a repeated key would silently replace the first)");
        }
        if (e instanceof JsonEOFException || original.contains("end-of-input")) {
            JsonToken t = e instanceof JsonEOFException eof ? eof.getTokenBeingDecoded() : null;
            String what = t == JsonToken.VALUE_STRING || t == JsonToken.FIELD_NAME ? "a string has no closing quote"
                    : ctx == null || ctx.inRoot() ? "a value is missing"
                    : "the " + (ctx.inObject() ? "object" : "array") + " that opens" + at(ctx.startLocation(ContentReference.unknown()))
                    + " is not closed";
            return new ConfigError("", "not valid JSON: the text ends early" + at + ": " + what);
        }
        return new ConfigError("", "not valid JSON" + at + ": " + withoutSource(original));
    }

    private static String at(JsonLocation l) {
        return l == null || l.getLineNr() < 1 ? "" : " at line " + l.getLineNr() + ", column " + l.getColumnNr();
    }

    /** Jackson's messages may quote a character code or an internal "[Source: ...; line: 1, column: 7]"; the caller gives the location once. */
    private static String withoutSource(String message) {
        return message.replaceAll("Unexpected character \\('(.+?)' \\(code \\d+\\)\\)", "unexpected '$1'")
                .replaceAll("\\s*\\(start marker at \\[Source:[^]]*\\]\\)", "").replaceAll("\\s*\\[Source:[^]]*\\]", "")
                .replaceAll("\\s*\\n.*", "").strip();
    }
}
