package io.nvmfoffload.verbs.nvmf;

/**
 * What the device counts per offload context (SRQ): its namespaces' counters summed, the capsules
 * for namespaces it does not know (handed to software), the latency of the last read and write in
 * 0.1 us units, and the commands in flight. The shipped stack's counters end there;
 * {@code remoteInvalidations} (responses sent as Send with Invalidate of the host's key, as its
 * SGL asked) is ours, so that an operator and the tests can see how the engine answered.
 */
public record OffloadContextCounters(OffloadNamespaceCounters totals, long unknownNamespaceCommands,
                                     long lastReadLatency100ns, long lastWriteLatency100ns, int queueDepth,
                                     long remoteInvalidations) {}
