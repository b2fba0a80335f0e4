package io.nvmfoffload.verbs.nvmf;

/**
 * What the device counts per offload context (SRQ), as the vendor's {@code stat}: its namespaces'
 * counters summed, the I/O capsules (any opcode) for namespaces it does not know, handed to
 * software and counted once each, the latency of the last read and of the last write in 0.1 us
 * units, and the queue depth: the commands in the context, those waiting for a staging slot
 * included. The shipped stack's counters end there;
 * {@code remoteInvalidations} (responses sent as Send with Invalidate of the host's key, as its
 * SGL asked) is ours, so that an operator and the tests can see how the engine answered.
 */
public record OffloadContextCounters(OffloadNamespaceCounters totals, long unknownNamespaceCommands,
                                     long lastReadLatency100ns, long lastWriteLatency100ns, int queueDepth,
                                     long remoteInvalidations) {}
