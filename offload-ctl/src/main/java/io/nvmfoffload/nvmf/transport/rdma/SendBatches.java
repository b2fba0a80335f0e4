package io.nvmfoffload.nvmf.transport.rdma;

import io.nvmfoffload.verbs.QueuePair;
import io.nvmfoffload.verbs.SendWorkRequests;
import io.nvmfoffload.verbs.VerbsException;

import java.util.ArrayList;
import java.util.function.BiConsumer;

/**
 * Doorbell batching: the send chains of several owners (requests) made during one pass of a
 * poller are linked per queue pair and posted with one {@code ibv_post_send} each at the end of
 * the pass ({@link #flush}), as SPDK's RDMA transport does; on rxe every post is a system call.
 * A failed post gives back exactly the owners whose work was not posted.
 *
 * <p>One thread only (the poller). Nothing is allocated per chain: each owner has one
 * {@link Link} and each queue pair one {@link Batch}, made once and reused.
 *
 * @param <T> the owner of a chain (a request slot, an offload command)
 */
public final class SendBatches<T> {

    /** One owner's chain: entries [first, first+count) of an array. */
    public static final class Link<T> {
        final T owner;
        SendWorkRequests chain;
        int first;
        int count;
        Link<T> next;

        public Link(T owner) {
            this.owner = owner;
        }

        /** Chooses the chain this link stands for, before {@link #postOn} or {@link SendBatches#add}. */
        public void set(SendWorkRequests chain, int first, int count) {
            this.chain = chain;
            this.first = first;
            this.count = count;
        }

        /** Posts the chain alone, at once (as {@link QueuePair#postSend}). */
        public void postOn(QueuePair qp) {
            qp.postSend(chain, first, count);
        }
    }

    /** One queue pair's chains of the current pass. */
    public static final class Batch<T> {
        final QueuePair qp;
        Link<T> head;
        Link<T> tail;

        public Batch(QueuePair qp) {
            this.qp = qp;
        }
    }

    private final ArrayList<Batch<T>> pending = new ArrayList<>(64);

    /** Links {@code link}'s chain (as {@link Link#set} chose it) behind the other chains of {@code batch}. */
    public void add(Batch<T> batch, Link<T> link) {
        link.next = null;
        link.chain.link(link.first, link.count, null, 0);
        Link<T> tail = batch.tail;
        if (tail == null) {
            batch.head = link;
            pending.add(batch);
        } else {
            tail.chain.link(tail.first, tail.count, link.chain, link.first);
            tail.next = link;
        }
        batch.tail = link;
    }

    /** Whether chains wait for {@link #flush}. */
    public boolean isEmpty() {
        return pending.isEmpty();
    }

    /**
     * Posts each queue pair's chains in one call. The owners whose work was not posted go to
     * {@code notPosted}, with the failure: from the work request the provider named on (or all of
     * them when nothing reached the provider, e.g. the QP was closed).
     */
    public void flush(BiConsumer<T, RuntimeException> notPosted) {
        int n = pending.size();
        for (int i = 0; i < n; i++) {
            Batch<T> b = pending.get(i);
            Link<T> head = b.head;
            b.head = null;
            b.tail = null;
            try {
                b.qp.postSendLinked(head.chain, head.first);
            } catch (RuntimeException e) {
                long bad = e instanceof VerbsException ? b.qp.badSendAddress() : 0;
                boolean posted = true;
                for (Link<T> l = head; l != null; ) {
                    Link<T> next = l.next;  // read first: the owner may be reused by the callback
                    if (posted && (bad == 0 || l.chain.holds(bad, l.first, l.count))) {
                        posted = false;
                    }
                    if (!posted) {
                        notPosted.accept(l.owner, e);
                    }
                    l = next;
                }
            }
        }
        pending.clear();
    }
}
