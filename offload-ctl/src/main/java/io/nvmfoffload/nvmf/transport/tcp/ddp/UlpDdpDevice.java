package io.nvmfoffload.nvmf.transport.tcp.ddp;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The receive offload of one NVMe/TCP listener, modelled in user space the way the kernel's
 * {@code ulp_ddp} layer sees a NIC: capabilities the device has ({@code hw}) and those switched on
 * ({@code active}), limits, per-socket add/delete, per-I/O setup/teardown, and statistics.
 *
 * <p>It is a model ("emulated" provider), never hardware: placing a payload means reading it from
 * the socket straight into the command's buffer; the alternative, when the socket or the I/O is
 * not offloaded, is a receive buffer and a copy, and the statistics count the two apart.
 *
 * <p>As in the kernel, a change of the active capabilities applies to sockets added after it;
 * connected queues keep what they started with until the host reconnects.
 */
public final class UlpDdpDevice {
    public static final String PROVIDER = "emulated";

    private final String name;
    private final String profile;
    private final UlpDdpLimits limits;
    private final int hw;
    private volatile int active;
    private final AtomicInteger offloadedSockets = new AtomicInteger();
    private final UlpDdpStatistics stats = new UlpDdpStatistics();

    public UlpDdpDevice(String name, String profile, UlpDdpLimits limits, int hw, int active) {
        if ((hw & ~UlpDdpCapability.all()) != 0) {
            throw new IllegalArgumentException("ULP DDP hw capabilities 0x" + Integer.toHexString(hw) + " name unknown bits");
        }
        this.name = name;
        this.profile = profile;
        this.limits = limits;
        this.hw = hw;
        this.active = active & hw;
    }

    /** A device with every capability, all of them active, and the limits of {@code profile}. */
    public static UlpDdpDevice emulated(String name, String profile) {
        return new UlpDdpDevice(name, profile, UlpDdpLimits.byProfile(profile), UlpDdpCapability.all(), UlpDdpCapability.all());
    }

    public String name() {
        return name;
    }

    public String provider() {
        return PROVIDER;
    }

    public String profile() {
        return profile;
    }

    public UlpDdpLimits limits() {
        return limits;
    }

    public int hw() {
        return hw;
    }

    public int active() {
        return active;
    }

    public UlpDdpStatistics statistics() {
        return stats;
    }

    public int offloadedSockets() {
        return offloadedSockets.get();
    }

    /**
     * caps-set: {@code active = ((active & ~wantedMask) | (wanted & wantedMask)) & hw}, the kernel's
     * arithmetic, so asking for a bit the device lacks leaves it off rather than failing.
     *
     * @return the active capabilities after the change
     */
    public synchronized int setCaps(int wanted, int wantedMask) {
        int unknown = (wanted | wantedMask) & ~UlpDdpCapability.all();
        if (unknown != 0) {
            throw new IllegalArgumentException("ULP DDP caps-set names unknown capability bits 0x" + Integer.toHexString(unknown)
                    + "; known: " + UlpDdpCapability.names(UlpDdpCapability.all()));
        }
        active = ((active & ~wantedMask) | (wanted & wantedMask)) & hw;
        return active;
    }

    /**
     * sk_add for a new queue's socket: offloaded when nvme-tcp is active and the device tracks
     * fewer than its maximum of sockets (else sk_add_fail, and the socket runs without placement).
     */
    public UlpDdpSocket addSocket() {
        int caps = active;
        if ((caps & UlpDdpCapability.NVME_TCP.bit()) == 0) {
            return new UlpDdpSocket(this, false, false);
        }
        while (true) {
            int n = offloadedSockets.get();
            if (n >= limits.maxSockets()) {
                stats.skAddFail.increment();
                return new UlpDdpSocket(this, false, false);
            }
            if (offloadedSockets.compareAndSet(n, n + 1)) {
                stats.skAdd.increment();
                return new UlpDdpSocket(this, true, (caps & UlpDdpCapability.NVME_TCP_DDGST_RX.bit()) != 0);
            }
        }
    }

    void socketDeleted() {
        offloadedSockets.decrementAndGet();
        stats.skDel.increment();
    }
}
