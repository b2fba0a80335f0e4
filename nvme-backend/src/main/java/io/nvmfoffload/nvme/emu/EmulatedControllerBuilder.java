package io.nvmfoffload.nvme.emu;

import io.nvmfoffload.nvme.store.NamespaceStore;

import java.time.Duration;
import java.util.Objects;

/** Configures an emulated controller: {@code EmulatedController.builder(dma)...build()}. */
public final class EmulatedControllerBuilder {
    private final ControllerConfig c = new ControllerConfig();

    EmulatedControllerBuilder(DmaSpace dma) {
        c.dma = Objects.requireNonNull(dma, "dma");
    }

    /** Adds a namespace; namespaces get NSIDs 1, 2, ... in the order added. */
    public EmulatedControllerBuilder namespace(NamespaceStore store) {
        c.namespaces.add(Objects.requireNonNull(store, "store"));
        return this;
    }

    /** CAP.MQES + 1: the largest queue, in entries (2..65536). */
    public EmulatedControllerBuilder maxQueueEntries(int entries) {
        if (entries < 2 || entries > 65536) {
            throw new IllegalArgumentException("max queue entries " + entries + " outside 2..65536");
        }
        c.maxQueueEntries = entries;
        return this;
    }

    /** How many I/O queue pairs the controller supports (1..1024). */
    public EmulatedControllerBuilder maxIoQueues(int queues) {
        if (queues < 1 || queues > 1024) {
            throw new IllegalArgumentException("max I/O queues " + queues + " outside 1..1024");
        }
        c.maxIoQueues = queues;
        return this;
    }

    /** CAP.DSTRD: doorbells are {@code 4 << stride} bytes apart (0..4 here). */
    public EmulatedControllerBuilder doorbellStride(int stride) {
        if (stride < 0 || stride > 4) {
            throw new IllegalArgumentException("doorbell stride " + stride + " outside 0..4");
        }
        c.doorbellStride = stride;
        return this;
    }

    /** MDTS: the largest transfer is 4096 << mdts bytes (1..8). */
    public EmulatedControllerBuilder mdts(int mdts) {
        if (mdts < 1 || mdts > 8) {
            throw new IllegalArgumentException("MDTS " + mdts + " outside 1..8");
        }
        c.mdts = mdts;
        return this;
    }

    /** CAP.TO: how long a host should wait for ready, rounded up to 500 ms units. */
    public EmulatedControllerBuilder readyTimeout(Duration timeout) {
        long units = (timeout.toMillis() + 499) / 500;
        if (units < 1 || units > 255) {
            throw new IllegalArgumentException("ready timeout " + timeout + " outside 500 ms..127.5 s");
        }
        c.readyTimeoutUnits = (int) units;
        return this;
    }

    public EmulatedControllerBuilder serialNumber(String sn) {
        c.serialNumber = sn;
        return this;
    }

    public EmulatedControllerBuilder modelNumber(String mn) {
        c.modelNumber = mn;
        return this;
    }

    public EmulatedControllerBuilder firmwareRevision(String fr) {
        c.firmwareRevision = fr;
        return this;
    }

    public EmulatedControllerBuilder controllerId(int cntlid) {
        c.controllerId = cntlid;
        return this;
    }

    public EmulatedControllerBuilder vendorId(int vid) {
        c.vendorId = vid;
        return this;
    }

    /** Device thread: how long to spin after the last work before parking, and how long each park is. */
    public EmulatedControllerBuilder idlePolicy(Duration spin, Duration park) {
        c.spinNanos = spin.toNanos();
        c.parkNanos = Math.max(1, park.toNanos());
        return this;
    }

    public EmulatedController build() {
        if (c.namespaces.isEmpty()) {
            throw new IllegalStateException("an emulated controller needs at least one namespace");
        }
        return new EmulatedController(c);
    }
}
