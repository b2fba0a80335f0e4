package io.nvmfoffload.nvmf;

/**
 * A port's transport tunables, as SPDK's transport options: each transport has one record of them
 * (the RDMA and the TCP transport's), the document carries it in the port's object, {@code save}
 * writes it back and the listener is made with it.
 */
public interface TransportOptions {
    /** The transport these options are for. */
    TransportType transport();
}
