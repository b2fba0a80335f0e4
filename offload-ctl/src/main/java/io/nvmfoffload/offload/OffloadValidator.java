package io.nvmfoffload.offload;

import io.nvmfoffload.verbs.nvmf.NvmfCapabilities;
import io.nvmfoffload.verbs.nvmf.OffloadOp;
import io.nvmfoffload.verbs.nvmf.OffloadTypeCapability;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks subsystems' offload settings against a device's capabilities before anything is created,
 * with the limits the shipped stack enforces (see shared/offload-reference.md). Every message names
 * the subsystem, the limit by its capability name, the device and the provider.
 */
public final class OffloadValidator {
    /** The 64-byte command alone, in IOCCSZ's 16-byte units. */
    private static final int COMMAND_UNITS = 64 / 16;

    private final NvmfCapabilities caps;
    private final String where;

    /** {@code device} and {@code provider} only label the messages. */
    public OffloadValidator(NvmfCapabilities caps, String device, String provider) {
        this.caps = caps;
        this.where = " of device " + device + " (provider " + provider + ")";
    }

    /** All violations of all subsystems, including the device-wide backend controller total. */
    public List<String> validate(List<OffloadSettings> subsystems) {
        List<String> problems = new ArrayList<>();
        int backends = 0;
        for (OffloadSettings s : subsystems) {
            problems.addAll(validate(s));
            backends += s.namespaceBlockSizes().size();
        }
        if (backends > caps.maxBackendCtrlsTotal()) {
            problems.add(backends + " backend controllers in all (one per offloaded namespace) exceed max_backend_ctrls_total "
                    + caps.maxBackendCtrlsTotal() + where);
        }
        return problems;
    }

    public List<String> validate(OffloadSettings s) {
        List<String> p = new ArrayList<>();
        String sub = "subsystem " + s.subsystemNqn() + ": ";
        if (!caps.offloadSupported()) {
            p.add(sub + "NVMf offload is not supported" + where);
            return p;
        }
        OffloadTypeCapability needed = OffloadTypeCapability.requiredFor(s.ops());
        if (s.ops().isEmpty() || !caps.supportsRc(s.ops())) {
            p.add(sub + "offload ops " + s.ops() + " (mask " + OffloadOp.toMask(s.ops()) + ") need offload_type "
                    + needed + ", outside the RC offload types " + caps.rcOffloadTypes() + where);
        }
        int count = s.namespaceBlockSizes().size();
        if (count == 0) {
            p.add(sub + "an offloaded subsystem needs at least one namespace");
        }
        if (count > caps.maxSrqNamespaces()) {
            p.add(sub + count + " namespaces exceed max_srq_namespaces " + caps.maxSrqNamespaces() + where);
        }
        if (count > caps.maxSrqBackendCtrls()) {
            p.add(sub + count + " backend controllers (one per namespace) exceed max_srq_backend_ctrls "
                    + caps.maxSrqBackendCtrls() + where);
        }
        for (Map.Entry<Integer, Integer> ns : new TreeMap<>(s.namespaceBlockSizes()).entrySet()) {
            if (caps.maxFrontendNsid() != 0 && Integer.compareUnsigned(ns.getKey(), caps.maxFrontendNsid()) > 0) {
                p.add(sub + "nsid " + ns.getKey() + " exceeds max_frontend_nsid " + caps.maxFrontendNsid() + where);
            }
            int lbaDataSize = lbaDataSize(ns.getValue());
            if (!caps.lbaDataSizes().contains(lbaDataSize)) {
                p.add(sub + "nsid " + ns.getKey() + ": lba_data_size " + lbaDataSize + " is not in lba_data_sizes "
                        + new TreeSet<>(caps.lbaDataSizes()) + where);
            }
        }
        int qd = s.queueDepth();
        if (Integer.bitCount(qd) != 1 || qd < caps.minNvmeQueueDepth() || qd > caps.maxNvmeQueueDepth()) {
            p.add(sub + "queue depth " + qd + " must be a power of two within min_nvme_queue_depth "
                    + caps.minNvmeQueueDepth() + " and max_nvme_queue_depth " + caps.maxNvmeQueueDepth() + where);
        }
        if (s.stagingBufferBytes() < caps.minStagingBufSize()) {
            p.add(sub + "staging buffer of " + s.stagingBufferBytes() + " bytes is below min_staging_buf_size "
                    + caps.minStagingBufSize() + where);
        }
        if (caps.maxStagingBufSize() > 0 && s.stagingBufferBytes() > caps.maxStagingBufSize()) {
            p.add(sub + "staging buffer of " + s.stagingBufferBytes() + " bytes exceeds max_staging_buf_size "
                    + caps.maxStagingBufSize() + where);
        }
        if (ioccsz(caps, s.ioccsz()) < caps.minIoccsz()) {
            p.add(sub + "IOCCSZ " + s.ioccsz() + " (16-byte units) is below min_ioccsz " + caps.minIoccsz()
                    + "; a port's in-capsule data size is never raised to it" + where);
        }
        if (s.maxIoSize() < 4096 || s.maxIoSize() > caps.maxIoSize() || Long.bitCount(s.maxIoSize()) != 1) {
            p.add(sub + "max I/O size " + s.maxIoSize() + " must be a power of two from 4096 to max_io_sz " + caps.maxIoSize() + where);
        }
        return p;
    }

    /**
     * IOCCSZ of an offloaded subsystem on an RDMA port, for its offload SRQ and for what Identify
     * Controller tells hosts: the port's, lowered to the device's max_ioccsz as the vendor kernel
     * lowers the in-capsule data size (when max_ioccsz holds at least the 64-byte command). Never
     * raised to min_ioccsz: hosts would send more in-capsule data than the port's receive buffers
     * hold, so a port below it is refused instead.
     */
    public static int ioccsz(NvmfCapabilities caps, int portIoccsz) {
        return caps.maxIoccsz() >= COMMAND_UNITS ? Math.min(portIoccsz, caps.maxIoccsz()) : portIoccsz;
    }

    /** lba_data_size as the shipped stack computes it: max(block size, 512). */
    public static int lbaDataSize(int blockSize) {
        return Math.max(blockSize, 512);
    }

    /**
     * The command timeout a namespace's backend controller is created with, as the vendor kernel
     * chooses it: the namespace's own (offload_cmd_tmo_us), else the subsystem's, clamped to the
     * device's bounds (each one it states); neither asked for (0), the shipped 30 s clamped to them
     * when the device states both, else 0, which asks for the device's own default.
     */
    public static long commandTimeoutUs(NvmfCapabilities caps, long namespaceUs, long subsystemUs) {
        long requestedUs = namespaceUs != 0 ? namespaceUs : subsystemUs;
        long min = caps.minCommandTimeoutUs();
        long max = caps.maxCommandTimeoutUs();
        if (requestedUs == 0) {
            return min != 0 && max != 0 ? Math.min(Math.max(NvmfCapabilities.DEFAULT_COMMAND_TIMEOUT_US, min), max) : 0;
        }
        long t = min != 0 ? Math.max(requestedUs, min) : requestedUs;
        return max != 0 ? Math.min(t, max) : t;
    }
}
