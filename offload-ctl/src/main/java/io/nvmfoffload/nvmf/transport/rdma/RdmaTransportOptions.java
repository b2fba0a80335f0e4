package io.nvmfoffload.nvmf.transport.rdma;

import io.nvmfoffload.nvmf.Port;
import io.nvmfoffload.nvmf.TransportOptions;
import io.nvmfoffload.nvmf.TransportType;

/**
 * What a user may tune of an NVMe/RDMA port: the document's "rdma" object of the port, named
 * after SPDK's RDMA transport options where SPDK has the option ({@code max_srq_depth},
 * {@code no_srq}, {@code no_wr_batching}). {@link #DEFAULTS} is what a port gets without them.
 *
 * @param maxSrqDepth           max_srq_depth: receive buffers of the shared receive queue, and the listener's request slots
 * @param noSrq                 no_srq: a receive queue per queue pair instead of one shared by all (no NVMf offload on the port then)
 * @param postingThread         posting_thread: posts that move {@code postingThreadMinBytes} or more go to a posting thread
 * @param postingThreadMinBytes posting_thread_min_bytes: the fewest data bytes of a post handed to the posting thread
 * @param noWrBatching          no_wr_batching: each request's sends are posted at once, not once per queue pair and poller pass
 */
public record RdmaTransportOptions(int maxSrqDepth, boolean noSrq, boolean postingThread, int postingThreadMinBytes,
                                   boolean noWrBatching) implements TransportOptions {
    public static final int MIN_SRQ_DEPTH = 16;
    /** rxe's max_srq_wr. */
    public static final int MAX_SRQ_DEPTH = 16384;
    public static final int DEFAULT_MAX_SRQ_DEPTH = 512;
    public static final int MAX_POSTING_THREAD_MIN_BYTES = 16 << 20;
    /**
     * Posts from 32 KiB up go to the posting thread: on soft-RoCE a post does the protocol work in
     * the poster's system call, and handing off smaller ones costs more than it saves.
     */
    public static final int DEFAULT_POSTING_THREAD_MIN_BYTES = 32 * 1024;
    public static final RdmaTransportOptions DEFAULTS =
            new RdmaTransportOptions(DEFAULT_MAX_SRQ_DEPTH, false, true, DEFAULT_POSTING_THREAD_MIN_BYTES, false);

    public RdmaTransportOptions {
        if (maxSrqDepth < MIN_SRQ_DEPTH || maxSrqDepth > MAX_SRQ_DEPTH) {
            throw new IllegalArgumentException("rdma option max_srq_depth " + maxSrqDepth + " is out of range: expected "
                    + MIN_SRQ_DEPTH + " to " + MAX_SRQ_DEPTH);
        }
        if (postingThreadMinBytes < 0 || postingThreadMinBytes > MAX_POSTING_THREAD_MIN_BYTES) {
            throw new IllegalArgumentException("rdma option posting_thread_min_bytes " + postingThreadMinBytes
                    + " is out of range: expected 0 to " + MAX_POSTING_THREAD_MIN_BYTES);
        }
    }

    /** The options of {@code port}, an RDMA port: its own, or the defaults when it has none. */
    public static RdmaTransportOptions of(Port port) {
        return port.options() == null ? DEFAULTS : (RdmaTransportOptions) port.options();
    }

    @Override
    public TransportType transport() {
        return TransportType.RDMA;
    }

    public RdmaTransportOptions withMaxSrqDepth(int depth) {
        return new RdmaTransportOptions(depth, noSrq, postingThread, postingThreadMinBytes, noWrBatching);
    }

    public RdmaTransportOptions withNoSrq(boolean perQueuePair) {
        return new RdmaTransportOptions(maxSrqDepth, perQueuePair, postingThread, postingThreadMinBytes, noWrBatching);
    }

    /** Whether a post that moves {@code bytes} goes to the posting thread. */
    boolean handsOff(long bytes) {
        return postingThread && bytes >= postingThreadMinBytes;
    }
}
