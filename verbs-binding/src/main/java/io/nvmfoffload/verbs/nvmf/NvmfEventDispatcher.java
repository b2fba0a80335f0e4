package io.nvmfoffload.verbs.nvmf;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Delivers offload events to listeners on a thread of their own, in order, so that a provider can
 * raise an event from wherever it detects it (a completion handler, a timer) without running
 * listener code there. For provider implementations.
 */
public final class NvmfEventDispatcher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(NvmfEventDispatcher.class.getName());

    private final List<NvmfEventListener> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService thread;

    public NvmfEventDispatcher(String name) {
        this.thread = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name(name).unstarted(r));
    }

    public void add(NvmfEventListener listener) {
        listeners.add(listener);
    }

    public void remove(NvmfEventListener listener) {
        listeners.remove(listener);
    }

    /** Queues the event for every listener registered now. */
    public void dispatch(NvmfEvent event) {
        List<NvmfEventListener> snapshot = List.copyOf(listeners);
        thread.execute(() -> {
            for (NvmfEventListener l : snapshot) {
                try {
                    l.onNvmfEvent(event);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "NVMf event listener failed on " + event, e);
                }
            }
        });
    }

    /** Delivers what is queued, then stops the thread. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
