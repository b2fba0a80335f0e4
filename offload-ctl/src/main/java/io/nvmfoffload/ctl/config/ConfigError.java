package io.nvmfoffload.ctl.config;

/**
 * One thing wrong with a configuration document: where (an RFC 6901 JSON pointer into the document
 * as given) and what was found versus what was expected.
 */
public record ConfigError(String pointer, String message) {
    @Override
    public String toString() {
        return (pointer.isEmpty() ? "(document)" : pointer) + ": " + message;
    }
}
