package io.nvmfoffload.offload.emulated;

import io.nvmfoffload.offload.DeviceProfile;
import io.nvmfoffload.verbs.DeviceContext;
import io.nvmfoffload.verbs.Fakes;
import io.nvmfoffload.verbs.MemoryRegion;
import io.nvmfoffload.verbs.ProtectionDomain;
import io.nvmfoffload.verbs.nvmf.BackendControllerAttributes;
import io.nvmfoffload.verbs.nvmf.MemoryRange;
import io.nvmfoffload.verbs.nvmf.NvmfOffloadException;
import io.nvmfoffload.verbs.nvmf.NvmfSrqAttributes;
import io.nvmfoffload.verbs.nvmf.OffloadOp;

import java.util.EnumSet;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The emulated provider's offload of a fake device (verbs-binding's {@link Fakes}), with the
 * tiny profile unless told otherwise: its verbs run for real, but an SRQ is made with recorded host
 * transfers, since creating one through {@code createSrq} asks the device a question in C.
 */
final class EmulatedDevice implements AutoCloseable {
    static final int QUEUE_DEPTH = 16;
    private static final int SQE = 64;
    private static final int CQE = 16;

    final DeviceContext context;
    final ProtectionDomain pd;
    final EmulatedNvmfOffload offload;
    private int nextSrqId = 1;

    EmulatedDevice(DeviceProfile profile) {
        context = Fakes.context("mlx5_0");
        pd = Fakes.protectionDomain(context);
        offload = new EmulatedNvmfOffload(context, profile.name(), profile.capabilities());
    }

    EmulatedDevice() {
        this(DeviceProfile.tiny());
    }

    /** Attributes within the tiny profile: read and write, two namespaces, 16 KiB I/O, an 8 MiB staging buffer. */
    NvmfSrqAttributes srqAttributes(int maxNamespaces) {
        MemoryRegion staging = Fakes.memoryRegion(pd, Fakes.memory(8 << 20), 1, 2);
        return new NvmfSrqAttributes(EnumSet.of(OffloadOp.READ, OffloadOp.WRITE), maxNamespaces, 0, (64 + 4096) / 16, 0,
                16 << 10, QUEUE_DEPTH, MemoryRange.of(staging), 64, 1);
    }

    /** An offload SRQ of this device whose RDMA work toward hosts is recorded. */
    EmulatedNvmfSrq srq(NvmfSrqAttributes attributes) {
        return new EmulatedNvmfSrq(nextSrqId++, offload, attributes, true, (srq, slots) -> new RecordingTransfers(), () -> null);
    }

    EmulatedNvmfSrq srq() {
        return srq(srqAttributes(2));
    }

    /** A backend queue pair of {@code entries} entries, its doorbells, and the initial doorbell values. */
    BackendControllerAttributes backend(int entries, int sqTailInitial, int cqHeadInitial, long commandTimeoutUs) {
        MemoryRegion mr = Fakes.memoryRegion(pd, Fakes.memory(entries * (SQE + CQE) + 8192L), 3, 4);
        long cq = (long) entries * SQE;
        long doorbells = cq + (long) entries * CQE;
        return new BackendControllerAttributes(MemoryRange.of(mr, 0, cq), MemoryRange.of(mr, cq, (long) entries * CQE),
                MemoryRange.of(mr, doorbells, 4), MemoryRange.of(mr, doorbells + 4, 4), sqTailInitial, cqHeadInitial,
                commandTimeoutUs, null);
    }

    /** A backend queue pair as deep as the SRQ's queue depth, the device's default command timeout. */
    BackendControllerAttributes backend() {
        return backend(QUEUE_DEPTH, 0, 0, 0);
    }

    /** The exception a verb that must fail throws. */
    static NvmfOffloadException refusal(Runnable verb) {
        return assertThrows(NvmfOffloadException.class, verb::run);
    }

    @Override
    public void close() {
        offload.close();
    }
}
