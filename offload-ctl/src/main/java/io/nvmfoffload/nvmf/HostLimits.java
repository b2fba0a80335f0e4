package io.nvmfoffload.nvmf;

/**
 * Bounds on what hosts can make the target hold, so that no host, careless or hostile, can grow it
 * without limit. The document's {@code limits} object carries them; {@link #DEFAULTS} when absent.
 *
 * @param maxControllersPerSubsystem controllers one subsystem may have at once; a Connect beyond it
 *                                   gets Connect Controller Busy (as nvmet when its cntlid range is used up)
 * @param maxControllersPerHost      controllers one host NQN may have in one subsystem at once
 * @param maxConnectionsPerPort      transport connections (queues) a port holds at once; more are closed at accept
 * @param connectTimeoutMillis       time from accept until the queue's Fabrics Connect succeeded; then it is closed
 * @param pduTimeoutMillis           time a host may take to finish a PDU it started (NVMe/TCP), or to
 *                                   send the data an R2T asked for; then the connection is closed
 * @param dataBufferPoolBytes        data buffers one port (NVMe/TCP or NVMe/RDMA) may hold for commands in flight
 */
public record HostLimits(int maxControllersPerSubsystem, int maxControllersPerHost, int maxConnectionsPerPort,
                         int connectTimeoutMillis, int pduTimeoutMillis, long dataBufferPoolBytes) {
    public static final HostLimits DEFAULTS = new HostLimits(256, 16, 1024, 10_000, 30_000, 256L << 20);

    public HostLimits {
        positive(maxControllersPerSubsystem, "max_controllers_per_subsystem");
        positive(maxControllersPerHost, "max_controllers_per_host");
        positive(maxConnectionsPerPort, "max_connections_per_port");
        positive(connectTimeoutMillis, "connect_timeout_ms");
        positive(pduTimeoutMillis, "pdu_timeout_ms");
        if (dataBufferPoolBytes < 1L << 20) {
            throw new IllegalArgumentException("data_buffer_pool_size " + dataBufferPoolBytes + " is below 1 MiB");
        }
    }

    private static void positive(long value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " " + value + " must be at least 1");
        }
    }
}
