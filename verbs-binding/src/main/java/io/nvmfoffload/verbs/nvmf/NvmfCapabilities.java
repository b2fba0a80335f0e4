package io.nvmfoffload.verbs.nvmf;

import java.util.Set;

/**
 * The device's NVMf target offload capabilities, with the field names of the 2018 linux-rdma RFC
 * ({@code ibv_query_device_ex}) and the extras the vendor stack shipped. Sizes are in bytes,
 * ioccsz and icdoff in 16-byte units, timeouts in microseconds.
 *
 * @param rcOffloadTypes          offload types for RC QPs (capability bitmap bits)
 * @param dcOffloadTypes          offload types for DC QPs
 * @param maxFrontendNsid         largest front-end nsid the device accepts; 0 = any
 * @param passthroughSqeRwService the device can pass the host's read/write SQEs to the backend as they
 *                                came, replacing only what addresses the backend (an SRQ asks for it with
 *                                {@link NvmfSrqAttributes#passthroughSqeRw()})
 * @param qpLastNvmeCqeReached    the device raises QP_LAST_NVME_CQE_REACHED
 */
public record NvmfCapabilities(
        Set<OffloadTypeCapability> rcOffloadTypes,
        Set<OffloadTypeCapability> dcOffloadTypes,
        int maxBackendCtrlsTotal,
        int maxSrqBackendCtrls,
        int maxSrqNamespaces,
        long minStagingBufSize,
        long maxStagingBufSize,
        long maxIoSize,
        int minNvmeQueueDepth,
        int maxNvmeQueueDepth,
        int minIoccsz,
        int maxIoccsz,
        int maxIcdoff,
        long minCommandTimeoutUs,
        long maxCommandTimeoutUs,
        int maxFrontendNsid,
        boolean passthroughSqeRwService,
        boolean qpLastNvmeCqeReached) {

    /** What a device without NVMf offload reports: no offload type, all limits zero. */
    public static final NvmfCapabilities NONE = new NvmfCapabilities(Set.of(), Set.of(), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, false, false);

    public NvmfCapabilities {
        rcOffloadTypes = Set.copyOf(rcOffloadTypes);
        dcOffloadTypes = Set.copyOf(dcOffloadTypes);
    }

    /** The shipped stack's backend command timeout when none is asked for. */
    public static final long DEFAULT_COMMAND_TIMEOUT_US = 30_000_000L;

    /** The command timeout a backend controller gets: the default for 0, clamped to the device's bounds. */
    public long clampCommandTimeoutUs(long requestedUs) {
        long t = requestedUs == 0 ? DEFAULT_COMMAND_TIMEOUT_US : requestedUs;
        if (minCommandTimeoutUs > 0) {
            t = Math.max(t, minCommandTimeoutUs);
        }
        if (maxCommandTimeoutUs > 0) {
            t = Math.min(t, maxCommandTimeoutUs);
        }
        return t;
    }

    /** Whether RC QPs can offload anything at all. */
    public boolean offloadSupported() {
        return !rcOffloadTypes.isEmpty();
    }

    /** Whether an RC offload SRQ may request {@code ops}. */
    public boolean supportsRc(Set<OffloadOp> ops) {
        OffloadTypeCapability needed = OffloadTypeCapability.requiredFor(ops);
        return needed != null && rcOffloadTypes.contains(needed);
    }

    /** The capability bitmap of {@link #rcOffloadTypes()} as the device reports it. */
    public int rcOffloadTypeBitmap() {
        return OffloadTypeCapability.toBitmap(rcOffloadTypes);
    }
}
