package io.nvmfoffload.offload.emulated;

/**
 * The engine's RDMA work toward the host, for one offload context: the RDMA READ of a write's data
 * into its staging slot, and the response SEND (Send with Invalidate when the command says so)
 * behind the RDMA WRITE of a read's data. Each completion comes back to
 * {@link OffloadCommandFlow#completion} with the kind below; work a QP refuses, at once or later,
 * goes to the handler set with {@link #onRefused}. Called under the context's lock.
 */
interface HostTransfers extends AutoCloseable {
    /** The signaled RDMA READ of host data. */
    int READ_WR = 1;
    /** The signaled response SEND. */
    int SEND_WR = 2;
    /**
     * The unsignaled RDMA WRITE of read data. It completes only when it fails or is flushed, and
     * then carries the engine's tag so that the transport hands it here rather than calling it
     * unknown; the SEND behind it, flushed too, ends the command.
     */
    int WRITE_WR = 3;

    /** Where commands whose work a QP refused go (called at most once per posted chain). */
    interface Refusals {
        void refused(OffloadedCommand cmd, RuntimeException why);
    }

    void onRefused(Refusals handler);

    /** Posts the RDMA READ of {@code cmd.length} bytes from the host's buffer into the slot. */
    void readHostData(OffloadedCommand cmd);

    /**
     * Posts the response capsule in {@code cmd.response}, behind an RDMA WRITE of the slot's first
     * {@code dataBytes} bytes to the host's buffer when {@code dataBytes > 0}.
     */
    void sendResponse(OffloadedCommand cmd, int dataBytes);

    /** The calling thread is the poller from now on (hand-offs and batching are its alone). */
    void claimForPoller();

    /** Whether posts wait for {@link #flushBatches}. */
    boolean hasBatched();

    /** Posts each queue pair's batch in one call; poller only. */
    void flushBatches();

    @Override
    void close();
}
