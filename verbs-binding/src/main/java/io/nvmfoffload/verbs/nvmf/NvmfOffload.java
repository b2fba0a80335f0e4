package io.nvmfoffload.verbs.nvmf;

import io.nvmfoffload.verbs.DeviceContext;
import io.nvmfoffload.verbs.ProtectionDomain;
import io.nvmfoffload.verbs.QueuePair;

/**
 * NVMf target offload on one device, in the shape of the 2018 linux-rdma RFC and of what shipped
 * in the vendor's stack: query capabilities, create an offload SRQ with a staging buffer, create
 * backend NVMe controllers on it, map front-end namespaces to them, and switch I/O queue QPs to
 * offload. Which implementation answers is decided per device by {@link NvmfOffloadProviders}; the
 * caller never needs to know whether it is real, emulated or absent ("none").
 *
 * <p>Every call that the device cannot honour throws {@link NvmfOffloadException} with an errno.
 */
public interface NvmfOffload extends AutoCloseable {
    /** The name of the provider behind this object, for display ("none", "emulated", ...). */
    String providerName();

    DeviceContext context();

    /** The device's capabilities; {@link NvmfCapabilities#NONE} when it cannot offload. */
    NvmfCapabilities capabilities();

    /**
     * Creates an offload SRQ ({@code ibv_create_srq_ex} with the NVMf type). The staging buffer
     * belongs to the device until the SRQ is closed.
     */
    NvmfSrq createSrq(ProtectionDomain pd, NvmfSrqAttributes attributes);

    /**
     * Switches an I/O queue's QP to offload on {@code srq}, as the vendor kernel's RTS-to-RTS modify
     * with offload type NVMf does after the queue's Fabrics CONNECT. The QP was created on
     * {@code srq}'s {@link NvmfSrq#receiveQueue() receive queue} (standard verbs cannot move it
     * there later). From then on the device executes the capsules it can and answers them with
     * {@code queue}'s SQID and SQ head pointer; the rest arrive as ordinary receives on the SRQ for
     * software. Admin queues are never offloaded.
     */
    void enableOffload(QueuePair qp, NvmfSrq srq, IoQueueAttributes queue);

    /**
     * The queue is going away: stop offloading on {@code qp} (call it once the QP is in the ERROR
     * state, which a device learns from the modify itself). When the capabilities say
     * {@link NvmfCapabilities#qpLastNvmeCqeReached()}, {@link NvmfEventType#QP_LAST_NVME_CQE_REACHED}
     * follows once the QP's last offloaded command has completed; only then may the QP be destroyed,
     * or the device could still write to it. A device without that event raises nothing: it has
     * let go of the QP when this returns (what it still had to send is dropped, as the QP in ERROR
     * would flush it), and the QP may be destroyed once its send queue is drained.
     */
    void drain(QueuePair qp);

    /**
     * Where the offload engine sits in the software's receive path. A NIC executes offloaded
     * capsules itself and never shows them to software, so a hardware provider returns
     * {@link NvmfDatapath#NONE}; an engine that runs on the host CPU sees them here.
     */
    default NvmfDatapath datapath() {
        return NvmfDatapath.NONE;
    }

    /** Listeners receive NVME_PCI_ERR, NVME_TIMEOUT, QP_FATAL and QP_LAST_NVME_CQE_REACHED on a thread of the provider's. */
    void addEventListener(NvmfEventListener listener);

    void removeEventListener(NvmfEventListener listener);

    /** Releases what the provider holds for this device; SRQs must be closed first. */
    @Override
    void close();
}
