package io.nvmfoffload.nvme.emu;

import io.nvmfoffload.nvme.store.NamespaceStore;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What an {@link EmulatedController} is built with; {@link EmulatedControllerBuilder} checks each value. */
final class ControllerConfig {
    DmaSpace dma;
    final List<NamespaceStore> namespaces = new ArrayList<>();
    int maxQueueEntries = 1024;
    int maxIoQueues = 16;
    int doorbellStride = 0;
    int mdts = 5;
    int maxPageShift = 16;
    int readyTimeoutUnits = 10;
    int errorLogEntries = 16;
    int asyncEventLimit = 4;
    int controllerId = 1;
    int vendorId = 0;
    String serialNumber = "EMU0001";
    String modelNumber = "nvmf-offload emulated controller";
    String firmwareRevision = "0.1";
    long spinNanos = TimeUnit.MICROSECONDS.toNanos(100);
    long parkNanos = TimeUnit.MICROSECONDS.toNanos(50);

    long maxTransferBytes() {
        return (1L << EmulatedController.MIN_PAGE_SHIFT) << mdts;
    }
}
