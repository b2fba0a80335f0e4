package io.nvmfoffload.nvmf.transport.rdma;

import io.nvmfoffload.nvmf.transport.buffer.DataBufferPool;

import java.util.function.IntPredicate;

/**
 * Commands that hold a request slot and wait for a data buffer (their request is in NEED_BUFFER),
 * in arrival order: when the pool is empty a command waits here, nothing fails and nothing grows.
 * They are offered buffers in that order, and once one finds the pool without a block for it the
 * ones behind it wait too, so small transfers cannot starve a large one; a command whose queue
 * already holds its share is passed over, so one queue's backlog does not stall the others. At
 * most one entry per request slot. Poller thread only.
 */
final class BufferWaits {
    /** Offers a waiting command a buffer: {@link DataBufferPool.Take#TAKEN} when it has one and started. */
    interface Starter {
        DataBufferPool.Take start(int slot, int length);
    }

    private final int[] slots;
    private final int[] lengths;
    private int size;
    private int peak;

    BufferWaits(int capacity) {
        slots = new int[capacity];
        lengths = new int[capacity];
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** The most commands that ever waited at once (0: the pool never ran short). */
    int peak() {
        return peak;
    }

    /** Request slot {@code slot} waits for a buffer of {@code length} bytes, behind the others. */
    void add(int slot, int length) {
        if (size == slots.length) {
            throw new IllegalStateException("more commands waiting for a data buffer than request slots (" + size + ")");
        }
        slots[size] = slot;
        lengths[size] = length;
        size++;
        peak = Math.max(peak, size);
    }

    /**
     * Drops the commands whose queue went away ({@code dropIfGone} releases their slot and says so)
     * and starts the others in order while the pool has blocks for them. Returns how many left. A
     * command whose start throws has left too; the first such exception is thrown once the line is
     * in order again.
     */
    int serve(IntPredicate dropIfGone, Starter starter) {
        int kept = 0;
        boolean poolEmpty = false;
        RuntimeException failure = null;
        for (int i = 0; i < size; i++) {
            int slot = slots[i];
            int length = lengths[i];
            try {
                if (dropIfGone.test(slot)) {
                    continue;
                }
                if (!poolEmpty) {
                    DataBufferPool.Take t = starter.start(slot, length);
                    if (t == DataBufferPool.Take.TAKEN) {
                        continue;
                    }
                    poolEmpty = t == DataBufferPool.Take.POOL_EMPTY;
                }
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
                continue;
            }
            slots[kept] = slot;
            lengths[kept] = length;
            kept++;
        }
        int left = size - kept;
        size = kept;
        if (failure != null) {
            throw failure;
        }
        return left;
    }
}
