package io.nvmfoffload.verbs.nvmf;

import io.nvmfoffload.verbs.QueuePair;
import io.nvmfoffload.verbs.WorkCompletions;

import java.lang.foreign.MemorySegment;

/**
 * The receive-path hooks of an offload engine that runs on the host CPU. A NIC consumes offloaded
 * capsules before software sees them; an engine in user space can only see what the transport
 * polls, so the transport calls these three methods from its poller and does nothing else
 * differently. For a hardware provider they are {@link #NONE}: nothing is ever taken.
 *
 * <p>All three are called from the transport's poller thread(s) and must not block.
 */
public interface NvmfDatapath {
    /** The top byte of the wr_id of every work request the engine posts. */
    int WR_ID_TAG = 0xEE;

    /** Whether a completion belongs to a work request the engine posted. */
    static boolean ownsWrId(long wrId) {
        return (wrId >>> 56) == WR_ID_TAG;
    }

    /**
     * A capsule of {@code length} bytes arrived on {@code qp} at {@code offset} of {@code buffer}.
     * True: the engine took it and copied what it needs, so the transport reposts the receive
     * buffer and forgets the capsule. False: software serves it.
     */
    boolean offerCapsule(QueuePair qp, MemorySegment buffer, long offset, int length);

    /** A completion of a work request with {@link #ownsWrId}. */
    void onCompletion(WorkCompletions completions, int index);

    /** Lets the engine advance (poll backend completion queues, retry back-pressured capsules). Returns work done. */
    int progress();

    /**
     * Whether commands wait on backend controllers: the caller steps emulated backend devices only
     * then (a device whose doorbells nobody rang has nothing to do). False for a hardware provider,
     * whose backends are real devices.
     */
    default boolean hasCommandsAtBackends() {
        return false;
    }

    /**
     * The poller finished a pass: an engine that holds back its posts to ring each send queue once
     * per pass (doorbell batching, as the transport does) posts them now. Poller thread.
     */
    default void endOfPass() {
    }

    /**
     * Whether the engine waits for nothing but completions on the transport's CQ (no command at a
     * backend, none held back for a staging slot), so the poller may sleep until the CQ's next
     * event. Asked just before the poller sleeps: an engine with timed duties does them on the
     * first {@link #progress} after it. True for a hardware provider.
     */
    default boolean readyToSleep() {
        return true;
    }

    /** No engine in the software's path. */
    NvmfDatapath NONE = new NvmfDatapath() {
        @Override
        public boolean offerCapsule(QueuePair qp, MemorySegment buffer, long offset, int length) {
            return false;
        }

        @Override
        public void onCompletion(WorkCompletions completions, int index) {
            throw new IllegalStateException("no offload engine posted wr_id 0x" + Long.toHexString(completions.wrId(index)));
        }

        @Override
        public int progress() {
            return 0;
        }
    };
}
