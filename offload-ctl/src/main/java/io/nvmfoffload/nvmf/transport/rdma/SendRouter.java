package io.nvmfoffload.nvmf.transport.rdma;

import java.util.function.BiConsumer;

/**
 * Where a poller's send chain goes, as the port's {@link RdmaTransportOptions} say: to a {@link PostingThread}
 * when it moves much data, into its queue pair's {@link SendBatches batch} for the end of the
 * poller's pass, or back to the caller, who posts it at once. The target's software path and each
 * emulated offload context route through one of these, so both decide alike.
 *
 * <p>Hand-offs and batching are the poller's: a chain posted from another thread (a command the
 * core completes later, a control thread's answer) is always the caller's to post.
 *
 * @param <T> the owner of a chain (a request slot, an offload command)
 */
public final class SendRouter<T> implements AutoCloseable {
    private final RdmaTransportOptions options;
    /** Null when the options hand nothing off. */
    private final PostingThread thread;
    private final SendBatches<T> batches = new SendBatches<>();
    private Thread poller;

    /**
     * @param capacity most hand-offs waiting at once (one per owner suffices)
     * @param options  whether to batch, what to hand off
     */
    public SendRouter(String threadName, int capacity, RdmaTransportOptions options) {
        this.options = options;
        thread = options.postingThread() ? new PostingThread(threadName, capacity, 200) : null;
    }

    /**
     * Makes the calling thread the poller. False when the posting thread already serves another
     * thread (which then keeps it).
     */
    public boolean claimForPoller() {
        poller = Thread.currentThread();
        return thread == null || thread.claimProducer();
    }

    /**
     * Routes {@code link}'s chain (as {@link SendBatches.Link#set} chose it), which moves
     * {@code bytes}: true when {@code job} (which posts it) went to the posting thread or the
     * chain joined {@code batch}; false when the caller must post it now.
     */
    public boolean handOffOrBatch(SendBatches.Link<T> link, SendBatches.Batch<T> batch, long bytes, Runnable job) {
        if (thread != null && options.handsOff(bytes) && thread.handOff(job)) {
            return true;
        }
        if (!options.noWrBatching() && Thread.currentThread() == poller) {
            batches.add(batch, link);
            return true;
        }
        return false;
    }

    /** Whether batched chains wait for {@link #flush}. */
    public boolean hasBatched() {
        return !batches.isEmpty();
    }

    /** Posts every queue pair's batch, one call each (see {@link SendBatches#flush}); poller only. */
    public void flush(BiConsumer<T, RuntimeException> notPosted) {
        if (!batches.isEmpty()) {
            batches.flush(notPosted);
        }
    }

    @Override
    public void close() {
        if (thread != null) {
            thread.close();
        }
    }
}
