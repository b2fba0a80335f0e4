package io.nvmfoffload.nvme.emu;

import io.nvmfoffload.nvme.spec.SubmissionQueueEntry;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fault injection of an {@link EmulatedController}: which fetched commands are consumed but never
 * complete (a count of the next ones, or those a filter matches), so tests see a backend time out.
 * Set from any thread; asked by the device thread.
 */
final class DroppedCompletions {
    private final AtomicInteger budget = new AtomicInteger();
    private volatile CommandFilter filter;
    private final AtomicLong dropped = new AtomicLong();

    void next(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("cannot drop " + n + " completions");
        }
        budget.set(n);
    }

    void where(CommandFilter f) {
        filter = f;
    }

    /** Whether the command {@code sqe} fetched from SQ {@code sqid} is dropped; counts it if so. */
    boolean drop(int sqid, SubmissionQueueEntry sqe) {
        CommandFilter f = filter;
        if (f != null && f.test(sqid, sqe)) {
            dropped.incrementAndGet();
            return true;
        }
        while (true) {
            int left = budget.get();
            if (left <= 0) {
                return false;
            }
            if (budget.compareAndSet(left, left - 1)) {
                dropped.incrementAndGet();
                return true;
            }
        }
    }

    long dropped() {
        return dropped.get();
    }
}
