package io.nvmfoffload.nvmf;

import io.nvmfoffload.verbs.nvmf.OffloadOp;

import java.util.EnumSet;
import java.util.Set;

/**
 * A subsystem's request for NVMf target offload, as configured (nvmet's {@code attr_offload} and its
 * parameters). Whether a device can honour it is checked by the offload manager against the
 * device's capabilities before anything is created.
 *
 * @param ops                the I/O the device should execute itself
 * @param queueDepth         backend NVMe queue depth (a power of two within the device's bounds)
 * @param stagingBufferBytes the staging buffer of each offload context
 * @param maxIoSize          the largest offloaded I/O in bytes; larger I/O goes to software
 * @param commandTimeoutUs   backend command timeout, clamped to the device's bounds; 0: the shipped 30 s
 *                           within them when the device states both, else the device's own default
 * @param onSwitchFailure    what an I/O queue's CONNECT does when its switch to offload fails
 */
public record SubsystemOffload(Set<OffloadOp> ops, int queueDepth, long stagingBufferBytes, long maxIoSize,
                               long commandTimeoutUs, SwitchFailure onSwitchFailure) {
    /** An I/O queue whose QP could not be switched to offload after its CONNECT. */
    public enum SwitchFailure {
        /** The CONNECT fails with Internal Error and DNR, as the vendor's nvmet-rdma answers. */
        FAIL_CONNECT,
        /** The CONNECT succeeds and the software path serves the queue. */
        SOFTWARE
    }

    public static final int DEFAULT_QUEUE_DEPTH = 128;
    /** The vendor kernel's default staging buffer per offload context. */
    public static final long DEFAULT_STAGING_BUFFER = 128L << 20;
    public static final long DEFAULT_MAX_IO_SIZE = 128L << 10;

    /** With the vendor's answer to a failed switch: the CONNECT fails. */
    public SubsystemOffload(Set<OffloadOp> ops, int queueDepth, long stagingBufferBytes, long maxIoSize, long commandTimeoutUs) {
        this(ops, queueDepth, stagingBufferBytes, maxIoSize, commandTimeoutUs, SwitchFailure.FAIL_CONNECT);
    }

    public SubsystemOffload {
        ops = ops.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(ops));
        java.util.Objects.requireNonNull(onSwitchFailure, "onSwitchFailure");
        if (queueDepth < 1 || stagingBufferBytes < 1 || maxIoSize < 1 || commandTimeoutUs < 0) {
            throw new IllegalArgumentException("offload settings must be positive: queue depth " + queueDepth + ", staging buffer "
                    + stagingBufferBytes + ", max I/O size " + maxIoSize + ", command timeout " + commandTimeoutUs + " us");
        }
    }

    /** Read, write and flush with the vendor kernel's defaults. */
    public static SubsystemOffload defaults() {
        return new SubsystemOffload(EnumSet.allOf(OffloadOp.class), DEFAULT_QUEUE_DEPTH, DEFAULT_STAGING_BUFFER,
                DEFAULT_MAX_IO_SIZE, 0);
    }
}
