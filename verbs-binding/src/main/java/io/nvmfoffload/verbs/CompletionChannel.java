package io.nvmfoffload.verbs;

import io.nvmfoffload.verbs.ffi.CLayouts;
import io.nvmfoffload.verbs.ffi.IbvLayouts;
import io.nvmfoffload.verbs.ffi.Libc;
import io.nvmfoffload.verbs.ffi.LibcLayouts;
import io.nvmfoffload.verbs.ffi.Libibverbs;
import io.nvmfoffload.verbs.ffi.Native;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * {@code struct ibv_comp_channel}: where CQs whose notification was requested signal that they have
 * new completions. One thread at a time may wait on a channel.
 */
public final class CompletionChannel extends NativeResource {
    private final DeviceContext context;
    private final MemorySegment channel;
    private final int fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment pollfd = arena.allocate(LibcLayouts.POLLFD);
    private final MemorySegment cqOut = arena.allocate(ADDRESS);
    private final MemorySegment cqContextOut = arena.allocate(ADDRESS);

    CompletionChannel(DeviceContext context, MemorySegment channel) {
        super("completion channel", context);
        this.context = context;
        this.channel = channel.reinterpret(IbvLayouts.IBV_COMP_CHANNEL.byteSize());
        this.fd = this.channel.get(JAVA_INT, CLayouts.offset(IbvLayouts.IBV_COMP_CHANNEL, "fd"));
    }

    /** The {@code struct ibv_comp_channel *}. Never free it. */
    public MemorySegment nativeHandle() {
        return channel;
    }

    /** The file descriptor that becomes readable when an event is pending, for use with poll/epoll. */
    public int fileDescriptor() {
        return fd;
    }

    @Override
    public String describe() {
        return "completion channel (fd " + fd + ") on " + context.name();
    }

    /**
     * Waits up to {@code timeoutMillis} (negative: forever) for a CQ event ({@code ibv_get_cq_event})
     * and returns the CQ it is for, or null on timeout. Each event must later be acknowledged with
     * {@link CompletionQueue#acknowledgeEvents(int)} (closing the CQ acknowledges what is left), and
     * notification must be requested again to get the next one.
     */
    public synchronized CompletionQueue awaitEvent(long timeoutMillis) {
        requireOpen();
        if (!Libc.awaitReadable(pollfd, fd, (int) Math.min(Integer.MAX_VALUE, timeoutMillis))) {
            return null;
        }
        if (Libibverbs.ibv_get_cq_event(channel, cqOut, cqContextOut) != 0) {
            throw new VerbsException("ibv_get_cq_event", Native.errno(), describe());
        }
        long cqAddress = cqOut.get(ADDRESS, 0).address();
        CompletionQueue cq = context.completionQueues.get(cqAddress);
        if (cq == null) {
            // A CQ created outside this binding: acknowledge at once so its destroy cannot hang.
            Libibverbs.ibv_ack_cq_events(cqOut.get(ADDRESS, 0), 1);
            throw new IllegalStateException("CQ event for CQ 0x" + Long.toHexString(cqAddress)
                    + ", which this binding did not create, on " + describe());
        }
        cq.eventReceived();
        return cq;
    }

    @Override
    protected void release() {
        int rc = Libibverbs.ibv_destroy_comp_channel(channel);
        if (rc != 0) {
            throw new VerbsException("ibv_destroy_comp_channel", Native.errnoOf(rc), describe());
        }
        arena.close();
    }
}
