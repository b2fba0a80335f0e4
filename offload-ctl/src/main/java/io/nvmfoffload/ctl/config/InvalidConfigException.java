package io.nvmfoffload.ctl.config;

import java.util.List;
import java.util.stream.Collectors;

/** A document was rejected; nothing was applied. Carries every error found, not just the first. */
public final class InvalidConfigException extends RuntimeException {
    private final transient List<ConfigError> errors;

    public InvalidConfigException(List<ConfigError> errors) {
        super(errors.size() + " error(s) in the configuration, nothing applied:\n"
                + errors.stream().map(e -> "  " + e).collect(Collectors.joining("\n")));
        this.errors = List.copyOf(errors);
    }

    public List<ConfigError> errors() {
        return errors;
    }
}
