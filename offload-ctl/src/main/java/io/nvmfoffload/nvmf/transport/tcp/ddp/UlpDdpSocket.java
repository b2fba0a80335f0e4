package io.nvmfoffload.nvmf.transport.tcp.ddp;

/**
 * One queue's socket as the modelled device tracks it. Used by the queue's receive side only,
 * except {@link #teardown()}, which runs where the request completes; the counters it bumps are
 * the device's and thread-safe.
 *
 * <p>Framing: the device follows PDU boundaries in the byte stream. After a PDU failed its
 * validation (a data digest mismatch found by the offload) the model no longer trusts its framing
 * and, at the next PDU header, asks the ULP to confirm where that header starts (resync request);
 * the ULP's answer (resync response) restores tracking. Both together count as one resync.
 */
public final class UlpDdpSocket implements AutoCloseable {
    /** Page size of the command buffers, which makes one scatter-list entry. */
    static final int SGL_ENTRY_BYTES = 4096;

    private final UlpDdpDevice device;
    private final UlpDdpStatistics stats;
    private final boolean offloaded;
    private final boolean verifiesDataDigest;
    private boolean framingLost;
    private long resyncOffset = -1;
    private boolean closed;

    UlpDdpSocket(UlpDdpDevice device, boolean offloaded, boolean verifiesDataDigest) {
        this.device = device;
        this.stats = device.statistics();
        this.offloaded = offloaded;
        this.verifiesDataDigest = verifiesDataDigest;
    }

    /** Whether the device places this socket's payload (sk_add succeeded with nvme-tcp active). */
    public boolean offloaded() {
        return offloaded;
    }

    /** Whether the device checks data digests as the payload arrives (nvme-tcp-ddgst-rx active at sk_add). */
    public boolean verifiesDataDigest() {
        return offloaded && verifiesDataDigest;
    }

    /**
     * ddp_setup for one I/O's buffer of {@code length} bytes under transfer tag {@code tag}.
     * Below the device's I/O threshold nothing is attempted (the I/O is copied); more scatter
     * entries than the device takes, or a tag beyond the queue size without full tag range, fail.
     *
     * @return true when the payload of this I/O will be placed
     */
    public boolean setup(int tag, int queueSize, long length) {
        if (!offloaded || length < device.limits().ioThreshold()) {
            return false;
        }
        long entries = (length + SGL_ENTRY_BYTES - 1) / SGL_ENTRY_BYTES;
        if (entries > device.limits().maxDdpSglLen() || (!device.limits().fullCcidRange() && tag >= queueSize)) {
            stats.setupFail.increment();
            return false;
        }
        stats.setup.increment();
        return true;
    }

    /** ddp_teardown of an I/O that {@link #setup} accepted, when its request is done with the buffer. */
    public void teardown() {
        stats.teardown.increment();
    }

    /** Payload that landed straight in its destination: one receive of {@code bytes}. */
    public void placed(long bytes) {
        stats.packets.increment();
        stats.bytes.add(bytes);
    }

    /** Payload of one PDU that went through a receive buffer and a copy. */
    public void copied(long bytes) {
        stats.copiedPdus.increment();
        stats.copiedBytes.add(bytes);
    }

    /** A PDU failed the offload's validation (its data digest); the device's framing is lost. */
    public void drop() {
        stats.drop.increment();
        framingLost = true;
    }

    /**
     * Called by the ULP at each PDU header, at byte {@code streamOffset} of the stream: when the
     * framing was lost, this is the resync request and its response.
     *
     * @return true when a resync took place here
     */
    public boolean atPduHeader(long streamOffset) {
        if (!framingLost) {
            return false;
        }
        framingLost = false;
        resyncOffset = streamOffset;
        stats.resync.increment();
        return true;
    }

    /** Where the last resync confirmed a PDU header, or -1. */
    public long lastResyncOffset() {
        return resyncOffset;
    }

    /** sk_del. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (offloaded) {
            device.socketDeleted();
        }
    }
}
