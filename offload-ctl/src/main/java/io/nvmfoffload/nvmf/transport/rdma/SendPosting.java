package io.nvmfoffload.nvmf.transport.rdma;

import io.nvmfoffload.verbs.SendWorkRequests;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Who rings a send queue for a request slot, and when: the poller itself once per pass, or a
 * {@link PostingThread} for a post that moves much data.
 *
 * <p>Batching: on the poller, a request's sends are linked behind its queue pair's other sends of
 * the same pass and posted in one {@code ibv_post_send} per queue pair at the end of the pass
 * ({@link #flush}, {@link SendBatches}).
 *
 * <p>Hand-off: on soft-RoCE a post is the most expensive step of a command (rxe does the protocol
 * work of both ends in the poster's system call, in proportion to the bytes); handing a large one
 * off lets the poller take the next commands meanwhile. A small one is posted by the poller (the
 * threshold of {@link RdmaTransportOptions}): handing those off costs more (the hand-off, a second
 * thread contending for the same send queue and CPU) than it saves.
 *
 * <p>A hand-off that fails to post comes back to the poller ({@link #drainFailures}), which owns
 * the slots. Slots are posted from other threads too (a command the core completes later, such as
 * an Asynchronous Event Request): those always post where they are (the posting thread takes
 * hand-offs from its first producer only, the poller).
 */
final class SendPosting implements AutoCloseable {
    /** The posting thread, and the queue pairs' sends of this pass. */
    private final SendRouter<RdmaSlot> router;
    private final Runnable[] jobs;
    private final Queue<RdmaSlot> failed = new ConcurrentLinkedQueue<>();
    /** Takes back a slot whose handed-off or batched post failed; on the poller. */
    private final Consumer<RdmaSlot> onFailed;
    private final BiConsumer<RdmaSlot, RuntimeException> onNotPosted;

    /** @param onFailed takes back a slot whose handed-off or batched post failed ({@link RdmaSlot#postFailure} says why); called on the poller */
    SendPosting(String name, RdmaSlot[] slots, Consumer<RdmaSlot> onFailed, RdmaTransportOptions options) {
        this.onFailed = onFailed;
        this.onNotPosted = (slot, e) -> {
            slot.postFailure = e.getMessage();
            onFailed.accept(slot);
        };
        jobs = new Runnable[slots.length];
        for (int i = 0; i < slots.length; i++) {
            RdmaSlot slot = slots[i];
            jobs[i] = () -> postHandedOff(slot);
        }
        router = new SendRouter<>(name, slots.length, options);
    }

    /** The poller, before it polls: only its hand-offs are taken. */
    void claimForPoller() {
        if (!router.claimForPoller()) {
            throw new IllegalStateException("the posting thread already serves another thread than this poller");
        }
    }

    /**
     * Posts entries [first, first+count) of {@code chain}, which move {@code bytes} of data, on the
     * slot's queue pair. When posted here, failures throw as
     * {@link io.nvmfoffload.verbs.QueuePair#postSend}; when handed off or batched, they come back
     * through {@link #drainFailures} or {@link #flush}.
     */
    void post(RdmaSlot slot, SendWorkRequests chain, int first, int count, long bytes) {
        slot.link.set(chain, first, count);
        if (!router.handOffOrBatch(slot.link, slot.queue.batch, bytes, jobs[slot.request.slot()])) {
            slot.link.postOn(slot.queue.qp);
        }
    }

    /** Posts every queue pair's batch, one call each; poller only, at the end of its pass. */
    void flush() {
        router.flush(onNotPosted);
    }

    private void postHandedOff(RdmaSlot slot) {
        try {
            slot.link.postOn(slot.queue.qp);
        } catch (RuntimeException e) {
            slot.postFailure = e.getMessage();
            failed.add(slot);
        }
    }

    /** Gives back each slot whose handed-off post failed; poller only. Returns how many. */
    int drainFailures() {
        int n = 0;
        for (RdmaSlot slot; (slot = failed.poll()) != null; n++) {
            onFailed.accept(slot);
        }
        return n;
    }

    boolean hasFailures() {
        return !failed.isEmpty();
    }

    @Override
    public void close() {
        router.close();
    }
}
