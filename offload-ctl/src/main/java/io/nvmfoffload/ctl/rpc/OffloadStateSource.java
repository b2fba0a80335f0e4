package io.nvmfoffload.ctl.rpc;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where status and stats get a subsystem's live offload state (contexts created, QPs switched,
 * offloaded I/O) once the offload manager reports it. Until then only the configured offload is
 * shown, marked as such.
 */
@FunctionalInterface
public interface OffloadStateSource {
    /** The live state of {@code subsystemNqn}'s offload, or null when the provider reports none. */
    JsonNode liveState(String subsystemNqn);

    OffloadStateSource NOT_REPORTED = nqn -> null;
}
