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
 * @param lbaDataSizes            the lba_data_size values ibv_map_nvmf_nsid accepts (bytes of a block, with any
 *                                interleaved metadata: 4104 is 4096 + 8). Our addition: the RFC has no such field
 *                                and a device answers ENOTSUP at map for a size it lacks; listing them lets the
 *                                control path refuse a subsystem before it creates anything
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
        boolean qpLastNvmeCqeReached,
        Set<Integer> lbaDataSizes) {

    /** What a device without NVMf offload reports: no offload type, all limits zero. */
    public static final NvmfCapabilities NONE = new NvmfCapabilities(Set.of(), Set.of(), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, false, false, Set.of());

    public NvmfCapabilities {
        rcOffloadTypes = Set.copyOf(rcOffloadTypes);
        dcOffloadTypes = Set.copyOf(dcOffloadTypes);
        lbaDataSizes = Set.copyOf(lbaDataSizes);
    }

    /** The shipped stack's backend command timeout when none is asked for (nvmet's NVMET_DEFAULT_CMD_TIMEOUT_USEC). */
    public static final long DEFAULT_COMMAND_TIMEOUT_US = 30_000_000L;

    /**
     * Whether a backend controller may be created with this command timeout: 0 (the device's own
     * default), or one within each bound the device states (a bound of 0 is none).
     */
    public boolean acceptsCommandTimeoutUs(long us) {
        return us == 0 || us > 0 && (minCommandTimeoutUs == 0 || us >= minCommandTimeoutUs)
                && (maxCommandTimeoutUs == 0 || us <= maxCommandTimeoutUs);
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
