package io.nvmfoffload.verbs.nvmf;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What an NVMf offload SRQ is created with ({@code ibv_create_srq_ex} with the NVMf SRQ type in the
 * RFC): the SRQ's own size, plus the offload attributes.
 *
 * @param ops              the I/O to offload; must be within the device's capabilities
 * @param maxNamespaces    namespaces that may be mapped through this SRQ
 * @param nvmePageSizeLog2 backend NVMe page size as log2 of 4 KiB units (0 = 4 KiB)
 * @param ioccsz           I/O command capsule size in 16-byte units: (64 + in-capsule bytes) / 16
 * @param icdoff           in-capsule data offset in 16-byte units
 * @param maxIoSize        largest I/O in bytes
 * @param queueDepth       backend NVMe queue depth
 * @param stagingBuffer    registered memory the device owns from now on, reachable by every backend
 * @param srqMaxWr         receives the SRQ holds (the shipped kernel used 1024, at least 256)
 * @param srqMaxSge        SGEs per receive
 * @param passthroughSqeRw {@code passthrough_sqe_rw_service_en}: read and write SQEs go to the backend as
 *                         the host sent them, only what addresses the backend replaced; needs the
 *                         device's {@link NvmfCapabilities#passthroughSqeRwService()}
 */
public record NvmfSrqAttributes(Set<OffloadOp> ops, int maxNamespaces, int nvmePageSizeLog2, int ioccsz, int icdoff,
                                long maxIoSize, int queueDepth, MemoryRange stagingBuffer, int srqMaxWr, int srqMaxSge,
                                boolean passthroughSqeRw) {
    public NvmfSrqAttributes {
        ops = Set.copyOf(ops);
    }

    /** Without SQE passthrough. */
    public NvmfSrqAttributes(Set<OffloadOp> ops, int maxNamespaces, int nvmePageSizeLog2, int ioccsz, int icdoff,
                             long maxIoSize, int queueDepth, MemoryRange stagingBuffer, int srqMaxWr, int srqMaxSge) {
        this(ops, maxNamespaces, nvmePageSizeLog2, ioccsz, icdoff, maxIoSize, queueDepth, stagingBuffer, srqMaxWr, srqMaxSge, false);
    }

    /** Everything that violates {@code caps}, one sentence each; empty when the attributes fit. */
    public List<String> violationsOf(NvmfCapabilities caps) {
        List<String> problems = new ArrayList<>();
        if (!caps.supportsRc(ops)) {
            problems.add("ops " + ops + " (mask " + OffloadOp.toMask(ops) + ") need capability "
                    + OffloadTypeCapability.requiredFor(ops) + " but the device offers " + caps.rcOffloadTypes());
        }
        if (maxNamespaces < 1 || maxNamespaces > caps.maxSrqNamespaces()) {
            problems.add("max namespaces " + maxNamespaces + " is outside 1.." + caps.maxSrqNamespaces());
        }
        if (ioccsz < caps.minIoccsz() || ioccsz > caps.maxIoccsz()) {
            problems.add("ioccsz " + ioccsz + " is outside " + caps.minIoccsz() + ".." + caps.maxIoccsz());
        }
        if (icdoff < 0 || icdoff > caps.maxIcdoff()) {
            problems.add("icdoff " + icdoff + " is above " + caps.maxIcdoff());
        }
        if (maxIoSize < 1 || maxIoSize > caps.maxIoSize()) {
            problems.add("max I/O size " + maxIoSize + " is outside 1.." + caps.maxIoSize());
        }
        if (queueDepth < caps.minNvmeQueueDepth() || queueDepth > caps.maxNvmeQueueDepth() || Integer.bitCount(queueDepth) != 1) {
            problems.add("queue depth " + queueDepth + " is not a power of two in " + caps.minNvmeQueueDepth() + ".."
                    + caps.maxNvmeQueueDepth());
        }
        if (passthroughSqeRw && !caps.passthroughSqeRwService()) {
            problems.add("passthrough of read/write SQEs is asked for but the device lacks passthrough_sqe_rw_service");
        }
        long staging = stagingBuffer.length();
        if (staging < caps.minStagingBufSize() || (caps.maxStagingBufSize() > 0 && staging > caps.maxStagingBufSize())) {
            problems.add("staging buffer of " + staging + " bytes is outside " + caps.minStagingBufSize() + ".."
                    + caps.maxStagingBufSize());
        }
        return problems;
    }
}
