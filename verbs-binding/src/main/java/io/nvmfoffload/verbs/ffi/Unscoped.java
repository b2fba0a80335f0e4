package io.nvmfoffload.verbs.ffi;

import java.lang.foreign.MemorySegment;

/**
 * A view of native memory without the owning arena's liveness tracking, for the segments handed to
 * C on the hot path. Passing a segment of a shared arena to a downcall acquires and releases the
 * arena around the call, two atomic operations per argument per call, which a poll loop should not
 * pay. The owner keeps the arena (and closes it); it must make sure, with its own closed flag, that
 * the view is not passed to C after that.
 */
public final class Unscoped {
    private Unscoped() {}

    public static MemorySegment view(MemorySegment segment) {
        return MemorySegment.ofAddress(segment.address()).reinterpret(segment.byteSize());
    }
}
