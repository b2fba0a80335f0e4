package io.nvmfoffload.target.transport.rdma;

import io.nvmfoffload.verbs.PostingThread;
import io.nvmfoffload.verbs.SendWorkRequests;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * Who rings a send queue for a request slot: the poller itself, or a {@link PostingThread} for a
 * post that moves much data. On soft-RoCE a post is the most expensive step of a command (rxe does
 * the protocol work of both ends in the poster's system call, in proportion to the bytes); handing
 * a large one off lets the poller take the next commands meanwhile. A small one is posted by the
 * poller: measured with 4 KiB reads, handing those off cost more (the hand-off, a second thread
 * contending for the same send queue and CPU) than it saved, while 128 KiB reads gained (see the
 * soft-roce-tests README).
 *
 * <p>A hand-off that fails to post comes back to the poller ({@link #drainFailures}), which owns
 * the slots. Slots are posted from other threads too (a command the core completes later, such as
 * an Asynchronous Event Request): those always post where they are (the posting thread takes
 * hand-offs from its first producer only, the poller).
 */
final class SendPosting implements AutoCloseable {
    /** System property: {@code false} makes the poller post everything itself. */
    static final String PROPERTY = "nvmf.rdma.postingThread";
    /** System property: the fewest data bytes a post carries to be handed off (default {@value #MIN_BYTES}). */
    static final String MIN_BYTES_PROPERTY = "nvmf.rdma.postingThreadMinBytes";
    static final int MIN_BYTES = 32 * 1024;

    private final PostingThread thread;
    private final Runnable[] jobs;
    private final Queue<RdmaSlot> failed = new ConcurrentLinkedQueue<>();
    private final int minBytes = Integer.getInteger(MIN_BYTES_PROPERTY, MIN_BYTES);

    SendPosting(String name, RdmaSlot[] slots) {
        jobs = new Runnable[slots.length];
        for (int i = 0; i < slots.length; i++) {
            RdmaSlot slot = slots[i];
            jobs[i] = () -> postHandedOff(slot);
        }
        thread = Boolean.parseBoolean(System.getProperty(PROPERTY, "true")) ? new PostingThread(name, slots.length, 200) : null;
    }

    /** The poller, before it polls: only its hand-offs are taken. */
    void claimForPoller() {
        if (thread != null && !thread.claimProducer()) {
            throw new IllegalStateException("the posting thread already serves another thread than this poller");
        }
    }

    boolean threaded() {
        return thread != null;
    }

    /**
     * Posts entries [first, first+count) of {@code chain}, which move {@code bytes} of data, on the
     * slot's queue pair. When posted here, failures throw as
     * {@link io.nvmfoffload.verbs.QueuePair#postSend}; when handed off, they come back through
     * {@link #drainFailures}.
     */
    void post(RdmaSlot slot, SendWorkRequests chain, int first, int count, long bytes) {
        if (thread != null && bytes >= minBytes) {  // the posting thread refuses anyone but the poller
            slot.postChain = chain;
            slot.postFirst = first;
            slot.postCount = count;
            if (thread.handOff(jobs[slot.request.slot()])) {
                return;
            }
        }
        slot.queue.qp.postSend(chain, first, count);
    }

    private void postHandedOff(RdmaSlot slot) {
        try {
            slot.queue.qp.postSend(slot.postChain, slot.postFirst, slot.postCount);
        } catch (RuntimeException e) {
            slot.postFailure = e.getMessage();
            failed.add(slot);
        }
    }

    /** Gives each slot whose handed-off post failed to {@code handler}; poller only. */
    int drainFailures(Consumer<RdmaSlot> handler) {
        int n = 0;
        for (RdmaSlot slot; (slot = failed.poll()) != null; n++) {
            handler.accept(slot);
        }
        return n;
    }

    boolean hasFailures() {
        return !failed.isEmpty();
    }

    @Override
    public void close() {
        if (thread != null) {
            thread.close();
        }
    }
}
