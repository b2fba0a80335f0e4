package io.nvmfoffload.target.transport.rdma;

import io.nvmfoffload.verbs.PostingThread;
import io.nvmfoffload.verbs.SendWorkRequests;
import io.nvmfoffload.verbs.VerbsException;

import java.util.ArrayList;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * Who rings a send queue for a request slot, and when: the poller itself once per pass, or a
 * {@link PostingThread} for a post that moves much data.
 *
 * <p>Batching: on the poller, a request's sends are linked behind its queue pair's other sends of
 * the same pass and posted in one {@code ibv_post_send} per queue pair at the end of the pass
 * ({@link #flush}), as SPDK's RDMA transport does; on rxe every post is a system call. A failed
 * batch post gives back the slots from the first work request not posted on.
 *
 * <p>Hand-off: On soft-RoCE a post is the most expensive step of a command (rxe does
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
    /** System property: {@code false} posts each request's sends at once instead of once per poller pass. */
    static final String BATCH_PROPERTY = "nvmf.rdma.batchSends";
    private final boolean batching = Boolean.parseBoolean(System.getProperty(BATCH_PROPERTY, "true"));
    /** Queue pairs with sends batched in this pass; poller only. */
    private final ArrayList<RdmaQueue> batched = new ArrayList<>(64);
    private Thread pollerThread;

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
        pollerThread = Thread.currentThread();
        if (thread != null && !thread.claimProducer()) {
            throw new IllegalStateException("the posting thread already serves another thread than this poller");
        }
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
        if (batching && Thread.currentThread() == pollerThread) {
            batch(slot, chain, first, count);
            return;
        }
        slot.queue.qp.postSend(chain, first, count);
    }

    private void batch(RdmaSlot slot, SendWorkRequests chain, int first, int count) {
        RdmaQueue q = slot.queue;
        slot.postChain = chain;
        slot.postFirst = first;
        slot.postCount = count;
        slot.batchNext = null;
        chain.link(first, count, null, 0);
        RdmaSlot tail = q.batchTail;
        if (tail == null) {
            q.batchHead = slot;
            batched.add(q);
        } else {
            tail.postChain.link(tail.postFirst, tail.postCount, chain, first);
            tail.batchNext = slot;
        }
        q.batchTail = slot;
    }

    /**
     * Posts every queue pair's batch, one call each; the slots of work that was not posted go to
     * {@code failed} (with {@link RdmaSlot#postFailure} set). Poller only, at the end of its pass.
     */
    void flush(Consumer<RdmaSlot> failed) {
        int n = batched.size();
        if (n == 0) {
            return;
        }
        for (int i = 0; i < n; i++) {
            RdmaQueue q = batched.get(i);
            RdmaSlot head = q.batchHead;
            q.batchHead = null;
            q.batchTail = null;
            try {
                q.qp.postSendLinked(head.postChain, head.postFirst);
            } catch (RuntimeException e) {
                // A VerbsException names the first request not posted; anything else (the QP closed) posted nothing.
                long bad = e instanceof VerbsException ? q.qp.badSendAddress() : 0;
                boolean posted = true;
                for (RdmaSlot s = head; s != null; s = s.batchNext) {
                    if (posted && (bad == 0 || s.postChain.holds(bad, s.postFirst, s.postCount))) {
                        posted = false;
                    }
                    if (!posted) {
                        s.postFailure = e.getMessage();
                        failed.accept(s);
                    }
                }
            }
        }
        batched.clear();
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
