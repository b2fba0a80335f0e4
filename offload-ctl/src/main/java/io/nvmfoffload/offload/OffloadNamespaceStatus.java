package io.nvmfoffload.offload;

import io.nvmfoffload.verbs.nvmf.OffloadNamespaceCounters;

/**
 * The offload state of one namespace on one port, as status and stats show it.
 *
 * @param provider the offload provider ("emulated" for the software model): always shown
 * @param route    "offloaded", or "software: why"
 */
public record OffloadNamespaceStatus(String provider, int portId, String subsystemNqn, int nsid, String route,
                                     int backendControllerId, OffloadNamespaceCounters counters,
                                     long unknownNamespaceCommands, long lastReadLatency100ns, long lastWriteLatency100ns,
                                     int queueDepth) {}
