package io.nvmfoffload.offload;

import io.nvmfoffload.nvme.driver.HostQueuePair;
import io.nvmfoffload.nvme.driver.NvmeHost;
import io.nvmfoffload.nvme.emu.DmaSpace;
import io.nvmfoffload.nvme.emu.EmulatedController;
import io.nvmfoffload.nvme.emu.EmulatedControllerBuilder;
import io.nvmfoffload.nvme.store.NamespaceStore;

import java.time.Duration;
import java.util.List;

/**
 * The PCIe NVMe device behind an offloaded subsystem: nvme-backend's emulated controller over the
 * subsystem's namespace stores (backend nsid i + 1 for the i-th). The control path enables it and
 * reserves one I/O queue pair per backend controller for the NIC, as the vendor kernel reserves
 * {@code num_p2p_queues} on an SSD.
 *
 * <p>Who gives the device CPU time: the target's RDMA poller steps it ({@link #pump()}) right after
 * the engine rang its doorbells, which saves a spinning device thread on small machines. It is
 * reached only through its registers, rings and doorbells, as an SSD would be.
 */
final class BackendNvmeDevice implements AutoCloseable {
    private static final int ADMIN_ENTRIES = 32;

    private final EmulatedController controller;
    private final NvmeHost host;

    BackendNvmeDevice(String serial, List<NamespaceStore> namespaces, DmaSpace dma, int queueDepth, long maxIoSize) {
        EmulatedControllerBuilder b = EmulatedController.builder(dma)
                .serialNumber(serial)
                .modelNumber("nvmf-offload emulated backend")
                .maxIoQueues(Math.max(1, namespaces.size()))
                .maxQueueEntries(Math.max(queueDepth, ADMIN_ENTRIES))
                .mdts(Math.max(1, Long.numberOfTrailingZeros(Math.max(4096, maxIoSize) / 4096)));
        namespaces.forEach(b::namespace);
        controller = b.build();
        host = new NvmeHost(controller.registers(), dma, this::pump, Duration.ofSeconds(10));
        try {
            host.enable(ADMIN_ENTRIES);
            host.setNumberOfQueues(namespaces.size(), namespaces.size());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * One pass of the device: doorbells noticed, commands executed, completions posted. Called by
     * the poller and by admin waits on another thread, hence the lock. Returns commands taken.
     */
    synchronized int pump() {
        try {
            return controller.poll();
        } catch (IllegalStateException closed) {
            return 0;
        }
    }

    EmulatedController controller() {
        return controller;
    }

    int doorbellStride() {
        return host.doorbellStride();
    }

    HostQueuePair createQueuePair(int qid, int entries) {
        return host.createIoQueuePair(qid, entries);
    }

    /** Deletes a reserved queue pair with admin commands (a timed-out backend's queues are destroyed so). */
    void deleteQueuePair(HostQueuePair qp) {
        host.deleteIoQueuePair(qp);
    }

    /**
     * A controller reset (CC.EN to 0 and back), as the host driver does when a device comes back
     * from a PCI error: clears a fatal status, and every I/O queue is gone afterwards. The admin
     * queue and the number of I/O queues are set up again.
     *
     * @throws IllegalStateException if the controller does not come back ready
     */
    void reset(int ioQueues) {
        host.disable();
        host.enable(ADMIN_ENTRIES);
        host.setNumberOfQueues(ioQueues, ioQueues);
    }

    /** Whether admin commands can still reach it (no fatal status). */
    boolean healthy() {
        return controller.fatalReason() == null;
    }

    @Override
    public void close() {
        try {
            if (healthy()) {
                host.shutdown();
            }
        } catch (RuntimeException e) {
            System.getLogger(BackendNvmeDevice.class.getName()).log(System.Logger.Level.DEBUG, "backend shutdown: {0}", e.getMessage());
        }
        synchronized (this) {
            controller.close();
        }
        host.close();
    }
}
