package io.nvmfoffload.verbs;

import io.nvmfoffload.verbs.ffi.CLayouts;
import io.nvmfoffload.verbs.ffi.IbvLayouts;
import io.nvmfoffload.verbs.ffi.Libc;
import io.nvmfoffload.verbs.ffi.Libibverbs;
import io.nvmfoffload.verbs.ffi.LibcLayouts;
import io.nvmfoffload.verbs.ffi.Native;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The thread that reads a context's async events. It waits on the async fd with poll(2) and a short
 * timeout instead of blocking in ibv_get_async_event, so that closing the context can stop it. Each
 * event is acknowledged before listeners see it: destroying a QP waits for its events to be acked,
 * and a listener may well want to destroy the QP it is told about.
 */
final class AsyncEventPump {
    private static final System.Logger LOG = System.getLogger(AsyncEventPump.class.getName());
    private static final int POLL_TIMEOUT_MS = 100;
    private static final long ELEMENT = CLayouts.offset(IbvLayouts.IBV_ASYNC_EVENT, "element");
    private static final long EVENT_TYPE = CLayouts.offset(IbvLayouts.IBV_ASYNC_EVENT, "event_type");

    private final DeviceContext context;
    private final List<AsyncEventListener> listeners = new CopyOnWriteArrayList<>();
    private Thread thread;
    private volatile boolean running;

    AsyncEventPump(DeviceContext context) {
        this.context = context;
    }

    synchronized void add(AsyncEventListener listener) {
        listeners.add(listener);
        if (thread == null) {
            running = true;
            thread = Thread.ofPlatform().daemon().name("nvmf-verbs-async-" + context.name()).start(this::run);
        }
    }

    void remove(AsyncEventListener listener) {
        listeners.remove(listener);
    }

    synchronized void stop() {
        running = false;
        if (thread != null && thread != Thread.currentThread()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        thread = null;
    }

    private void run() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pollfd = arena.allocate(LibcLayouts.POLLFD);
            MemorySegment event = arena.allocate(IbvLayouts.IBV_ASYNC_EVENT);
            int fd = context.asyncFd();
            while (running) {
                if (!Libc.awaitReadable(pollfd, fd, POLL_TIMEOUT_MS)) {
                    continue;
                }
                if (Libibverbs.ibv_get_async_event(context.nativeHandle(), event) != 0) {
                    LOG.log(System.Logger.Level.WARNING, "ibv_get_async_event failed on " + context.name() + ": "
                            + Errno.display(Native.errno()));
                    continue;
                }
                AsyncEvent decoded = decode(event);
                Libibverbs.ibv_ack_async_event(event);
                for (AsyncEventListener l : listeners) {
                    try {
                        l.onAsyncEvent(decoded);
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "async event listener failed on " + decoded, e);
                    }
                }
            }
        }
    }

    private AsyncEvent decode(MemorySegment event) {
        int raw = event.get(JAVA_INT, EVENT_TYPE);
        AsyncEventType type = AsyncEventType.of(raw);
        QueuePair qp = null;
        CompletionQueue cq = null;
        SharedReceiveQueue srq = null;
        int port = 0;
        if (type != null) {
            switch (type.element()) {
                case QP -> qp = context.queuePairs.get(event.get(ADDRESS, ELEMENT).address());
                case CQ -> cq = context.completionQueues.get(event.get(ADDRESS, ELEMENT).address());
                case SRQ -> srq = context.sharedReceiveQueues.get(event.get(ADDRESS, ELEMENT).address());
                case PORT -> port = event.get(JAVA_INT, ELEMENT);
                case WQ, DEVICE -> { }
            }
        }
        return new AsyncEvent(type, raw, context, qp, cq, srq, port);
    }
}
