package io.nvmfoffload.verbs;

/** Receives a device's asynchronous events, on the device context's event thread. */
@FunctionalInterface
public interface AsyncEventListener {
    void onAsyncEvent(AsyncEvent event);
}
