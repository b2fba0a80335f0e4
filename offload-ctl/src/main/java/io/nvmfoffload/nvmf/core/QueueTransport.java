package io.nvmfoffload.nvmf.core;

/**
 * What the core asks of the transport that carries one queue pair, as nvmet's fabrics ops do.
 * Implemented once per fabric (RDMA, TCP); the core never names a transport.
 */
public interface QueueTransport {

    /**
     * The core finished a request (now or later, as for an Asynchronous Event Request): send its
     * data to the host when it succeeded and moves data to the host, then the response capsule.
     */
    void complete(Request request);

    /** Tear the queue pair down (keep-alive expiry, controller reset, fatal error). */
    void disconnect(String reason);

    /**
     * The queue's Fabrics CONNECT succeeded and it is installed in its controller; the response has
     * not been sent yet. Where a transport switches an I/O queue to offload, as the vendor's
     * target does inside its CONNECT handler (nvmet's install_queue op). Returns 0, or the status
     * field (with DNR) the CONNECT fails with instead: the core then takes the queue out again.
     */
    default int connected(NvmfQueue queue) {
        return 0;
    }

    /** The host's network address (no port), to tell which host a queue came from; null where the transport has none. */
    default String hostAddress() {
        return null;
    }

    /**
     * Whether this queue would send a read of {@code length} bytes straight from a file channel
     * (no user-space copy), so that the core may leave a read from a file store unread and hand
     * the transport the channel and position instead ({@link Request#sendFrom}).
     */
    default boolean sendsFromFiles(long length) {
        return false;
    }

    /** For messages: the transport and both ends, e.g. "tcp 127.0.0.1:4420 <- 127.0.0.1:51234". */
    String describe();
}
