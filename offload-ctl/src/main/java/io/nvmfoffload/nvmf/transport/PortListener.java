package io.nvmfoffload.nvmf.transport;

import io.nvmfoffload.nvmf.Port;
import io.nvmfoffload.nvmf.transport.buffer.DataBufferUse;

/**
 * A transport's listener on one port: made when the port starts, closed when it goes, as nvmet's
 * {@code add_port} and {@code remove_port} fabrics ops. The target server keeps one per port
 * whatever the fabric, so it never needs to know which transport a port has.
 */
public interface PortListener extends AutoCloseable {
    /** The port this listener serves. */
    Port port();

    /** Host connections now: TCP connections, or RDMA queue pairs (one per NVMe queue). */
    int connectionCount();

    /** The port's data buffers now: pool size, memory made so far, bytes in use, the most commands that waited. */
    DataBufferUse dataBuffers();

    /** Stops taking hosts, disconnects the connected queues and frees what the listener holds. */
    @Override
    void close();
}
