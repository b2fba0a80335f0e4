package io.nvmfoffload.offload;

import java.util.List;

/** Offload settings that a device cannot honour; refused before anything was created. */
public final class OffloadConfigurationException extends IllegalArgumentException {
    private final List<String> problems;

    public OffloadConfigurationException(List<String> problems) {
        super("offload settings refused before anything was created: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
