package io.nvmfoffload.verbs.ffi;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The libc calls used to wait on event file descriptors with a timeout, so that event threads can
 * notice that they should stop (a blocking ibv_get_async_event cannot be interrupted).
 */
public final class Libc {
    private Libc() {}

    private static final MethodHandle POLL = Native.LINKER.downcallHandle(
            Native.LINKER.defaultLookup().findOrThrow("poll"),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT),
            Linker.Option.captureCallState("errno"));

    /** poll(2) on one prepared {@code struct pollfd}; returns poll's result (errno via {@link Native#errno()}). */
    public static int poll(MemorySegment pollfds, long count, int timeoutMs) {
        try {
            return (int) POLL.invokeExact(Native.captureState(), pollfds, count, timeoutMs);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * Waits until {@code fd} is readable. Returns true when it is, false on timeout; EINTR counts as
     * a timeout so that callers simply loop.
     */
    public static boolean awaitReadable(MemorySegment pollfd, int fd, int timeoutMs) {
        pollfd.set(JAVA_INT, LibcLayouts.POLLFD_FD, fd);
        pollfd.set(JAVA_SHORT, LibcLayouts.POLLFD_EVENTS, (short) NativeConstants.POLLIN);
        pollfd.set(JAVA_SHORT, LibcLayouts.POLLFD_REVENTS, (short) 0);
        int n = poll(pollfd, 1, timeoutMs);
        if (n < 0) {
            int errno = Native.errno();
            if (errno == 4) {
                return false;
            }
            throw new IllegalStateException("poll on fd " + fd + " failed: errno " + errno);
        }
        return n > 0;
    }
}
