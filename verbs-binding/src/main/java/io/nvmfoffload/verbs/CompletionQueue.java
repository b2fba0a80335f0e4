package io.nvmfoffload.verbs;

import io.nvmfoffload.verbs.ffi.CLayouts;
import io.nvmfoffload.verbs.ffi.IbvLayouts;
import io.nvmfoffload.verbs.ffi.Libibverbs;
import io.nvmfoffload.verbs.ffi.Native;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * {@code struct ibv_cq}. {@link #poll(WorkCompletions)} fills a reusable native array with up to its
 * capacity of completions in one call through the provider's {@code poll_cq}; it allocates nothing
 * and throws only if the CQ itself is broken (an error completion is data, not an exception).
 */
public final class CompletionQueue extends NativeResource {
    private final DeviceContext context;
    private final CompletionChannel channel;
    private final MemorySegment cq;
    private final MemorySegment pollFn;
    private final MemorySegment notifyFn;
    private final int capacity;
    private final AtomicInteger unacknowledgedEvents = new AtomicInteger();

    CompletionQueue(DeviceContext context, CompletionChannel channel, MemorySegment cq) {
        super("CQ", context, channel);
        this.context = context;
        this.channel = channel;
        this.cq = cq.reinterpret(IbvLayouts.IBV_CQ.byteSize());
        this.pollFn = context.pollCqFn;
        this.notifyFn = context.reqNotifyCqFn;
        this.capacity = this.cq.get(JAVA_INT, CLayouts.offset(IbvLayouts.IBV_CQ, "cqe"));
        context.completionQueues.put(this.cq.address(), this);
    }

    public DeviceContext context() {
        return context;
    }

    /** The completion channel notifications go to, or null. */
    public CompletionChannel channel() {
        return channel;
    }

    /** The number of entries the provider actually allocated ({@code cq->cqe}, at least what was asked). */
    public int capacity() {
        return capacity;
    }

    /** The {@code struct ibv_cq *}. Never free it. */
    public MemorySegment nativeHandle() {
        return cq;
    }

    @Override
    public String describe() {
        return "CQ 0x" + Long.toHexString(cq.address()) + " (" + capacity + " entries) on " + context.name();
    }

    /** Polls up to {@code completions.capacity()} completions; returns how many were written (0 if none). */
    public int poll(WorkCompletions completions) {
        return poll(completions, completions.capacity());
    }

    /** Polls up to {@code max} completions into the first entries of {@code completions}. */
    public int poll(WorkCompletions completions, int max) {
        if (isClosed()) {
            requireOpen();
        }
        if (max > completions.capacity()) {
            throw new IllegalArgumentException("cannot poll " + max + " completions into an array of " + completions.capacity());
        }
        int n = Libibverbs.poll_cq(pollFn, cq, max, completions.segment());
        if (n < 0) {
            throw new VerbsException("ibv_poll_cq", Native.errnoOf(n), describe());
        }
        completions.setCount(n);
        return n;
    }

    /**
     * Asks for one event on the completion channel when the next completion arrives (only the next
     * solicited one if {@code solicitedOnly}).
     */
    public void requestNotification(boolean solicitedOnly) {
        requireOpen();
        if (channel == null) {
            throw new IllegalStateException("cannot request notification on " + describe() + ": it has no completion channel");
        }
        int rc = Libibverbs.req_notify_cq(notifyFn, cq, solicitedOnly ? 1 : 0);
        if (rc != 0) {
            throw new VerbsException("ibv_req_notify_cq", Native.errnoOf(rc), describe());
        }
    }

    void eventReceived() {
        unacknowledgedEvents.incrementAndGet();
    }

    /** Events returned by the channel for this CQ and not acknowledged yet. */
    public int unacknowledgedEvents() {
        return unacknowledgedEvents.get();
    }

    /**
     * Acknowledges {@code events} CQ events ({@code ibv_ack_cq_events}); acknowledging several at
     * once is cheaper, it takes a lock.
     */
    public void acknowledgeEvents(int events) {
        requireOpen();
        int pending = unacknowledgedEvents.get();
        if (events <= 0 || events > pending) {
            throw new IllegalArgumentException("cannot acknowledge " + events + " events on " + describe()
                    + ": " + pending + " are unacknowledged");
        }
        unacknowledgedEvents.addAndGet(-events);
        Libibverbs.ibv_ack_cq_events(cq, events);
    }

    @Override
    protected void release() {
        int pending = unacknowledgedEvents.getAndSet(0);
        if (pending > 0) {
            // ibv_destroy_cq waits until every event was acknowledged; never let that hang.
            Libibverbs.ibv_ack_cq_events(cq, pending);
        }
        int rc = Libibverbs.ibv_destroy_cq(cq);
        if (rc != 0) {
            throw new VerbsException("ibv_destroy_cq", Native.errnoOf(rc), describe());
        }
        context.completionQueues.remove(cq.address(), this);
    }
}
