package io.nvmfoffload.nvmf.transport.tcp.ddp;

/**
 * What the (modelled) device can place, as {@code struct ulp_ddp_limits} reports it: the longest
 * scatter list one I/O may use, the smallest I/O worth setting up, whether the whole 16-bit tag
 * range is usable, and how many sockets it tracks at once.
 *
 * @param maxDdpSglLen  scatter-list entries (4 KiB pages of the command buffer) per I/O
 * @param ioThreshold   bytes below which an I/O is not set up for placement (it is copied)
 * @param fullCcidRange whether tags may use all 16 bits; when false a tag must be below the queue size
 * @param maxSockets    sockets offloaded at once; the next sk_add fails
 */
public record UlpDdpLimits(int maxDdpSglLen, int ioThreshold, boolean fullCcidRange, int maxSockets) {
    /**
     * The numbers of the mlx5 driver's NVMe/TCP offload (MLX5E_NVMEOTCP_MAX_SEGMENTS,
     * MLX5E_NVMEOTCP_IO_THRESHOLD, MLX5E_NVMEOTCP_FULL_CCID_RANGE, MAX_NUM_NVMEOTCP_QUEUES): model
     * numbers, not readings of a device.
     */
    public static final UlpDdpLimits CONNECTX_CLASS = new UlpDdpLimits(128, 32 * 1024, false, 4000);

    /** Small limits that tests can cross with a handful of I/Os and connections. */
    public static final UlpDdpLimits TINY = new UlpDdpLimits(4, 8192, false, 2);

    public UlpDdpLimits {
        if (maxDdpSglLen < 1 || ioThreshold < 0 || maxSockets < 0) {
            throw new IllegalArgumentException("ULP DDP limits out of range: max_ddp_sgl_len " + maxDdpSglLen
                    + " (>= 1), io_threshold " + ioThreshold + " (>= 0), max sockets " + maxSockets + " (>= 0)");
        }
    }

    public static UlpDdpLimits byProfile(String profile) {
        return switch (profile) {
            case "connectx5-class" -> CONNECTX_CLASS;
            case "tiny" -> TINY;
            default -> throw new IllegalArgumentException("unknown ULP DDP profile '" + profile + "'; known: connectx5-class, tiny");
        };
    }
}
