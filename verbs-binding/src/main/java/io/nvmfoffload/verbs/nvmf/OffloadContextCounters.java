package io.nvmfoffload.verbs.nvmf;

/**
 * What the device counts per offload context (SRQ): its namespaces' counters summed, the capsules
 * for namespaces it does not know (handed to software), the latency of the last read and write in
 * 0.1 us units, and the commands in flight.
 */
public record OffloadContextCounters(OffloadNamespaceCounters totals, long unknownNamespaceCommands,
                                     long lastReadLatency100ns, long lastWriteLatency100ns, int queueDepth) {}
