package io.nvmfoffload.offload;

import io.nvmfoffload.verbs.nvmf.NvmfCapabilities;
import io.nvmfoffload.verbs.nvmf.OffloadOp;

import java.util.Map;
import java.util.Set;

/**
 * A subsystem's offload settings as configured, before anything is created: the ops to offload,
 * the backend queue depth, the staging buffer, the in-capsule size (IOCCSZ), the largest I/O, the
 * command timeout, and its namespaces (front-end NSID to block size).
 *
 * @param commandTimeoutUs 0: none asked for (see {@link OffloadValidator#commandTimeoutUs})
 */
public record OffloadSettings(String subsystemNqn, Set<OffloadOp> ops, int queueDepth, long stagingBufferBytes,
                              int ioccsz, long maxIoSize, long commandTimeoutUs, Map<Integer, Integer> namespaceBlockSizes) {
    public static final long DEFAULT_COMMAND_TIMEOUT_US = NvmfCapabilities.DEFAULT_COMMAND_TIMEOUT_US;

    public OffloadSettings {
        ops = Set.copyOf(ops);
        namespaceBlockSizes = Map.copyOf(namespaceBlockSizes);
    }
}
