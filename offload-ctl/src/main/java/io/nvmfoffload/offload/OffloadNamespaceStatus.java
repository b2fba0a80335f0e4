package io.nvmfoffload.offload;

import io.nvmfoffload.verbs.nvmf.OffloadNamespaceCounters;

/**
 * The offload state of one namespace on one port, as status and stats show it.
 *
 * @param provider the offload provider ("emulated" for the software model): always shown
 * @param route    "offloaded", or "software: why"
 * @param commandTimeoutUs the command timeout its backend controller was created with (0: the
 *                 device's own default, or no controller)
 * @param remoteInvalidations the context's responses sent as Send with Invalidate (see
 *                 {@link io.nvmfoffload.verbs.nvmf.OffloadContextCounters})
 */
public record OffloadNamespaceStatus(String provider, int portId, String subsystemNqn, int nsid, String route,
                                     int backendControllerId, long commandTimeoutUs, OffloadNamespaceCounters counters,
                                     long unknownNamespaceCommands, long lastReadLatency100ns, long lastWriteLatency100ns,
                                     int queueDepth, long remoteInvalidations) {}
