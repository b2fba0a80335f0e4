package io.nvmfoffload.verbs;

/**
 * One asynchronous event ({@code struct ibv_async_event}), already acknowledged to libibverbs.
 * Only the member that matches the type's {@link AsyncEventType#element() element} is set; it is
 * null when the QP, CQ or SRQ was not created through this binding.
 *
 * @param type     null when libibverbs reported a type this binding does not know (see rawType)
 * @param rawType  the C {@code event_type}
 */
public record AsyncEvent(AsyncEventType type, int rawType, DeviceContext context, QueuePair queuePair,
                         CompletionQueue completionQueue, SharedReceiveQueue sharedReceiveQueue, int portNumber) {

    @Override
    public String toString() {
        String name = type == null ? "ibv_event_type " + rawType : type.cName();
        String element = queuePair != null ? queuePair.describe()
                : completionQueue != null ? completionQueue.describe()
                : sharedReceiveQueue != null ? sharedReceiveQueue.describe()
                : portNumber > 0 ? "port " + portNumber + " of " + context.name()
                : context.name();
        return name + " on " + element;
    }
}
