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
 * @param passthroughSqeRwService the device forwards read/write SQEs it does not offload to software
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
