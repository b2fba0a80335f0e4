package io.nvmfoffload.nvmf.transport.buffer;

import java.util.Arrays;

/**
 * Which blocks of a data buffer pool are free: a binary buddy allocator over units of
 * {@value #UNIT} bytes. A block of order k is {@code UNIT << k} bytes at a unit index that is a
 * multiple of {@code 1 << k}; the largest blocks ("top blocks", order {@link #maxOrder()}) are
 * added as the pool's memory is made. A freed block merges with its free buddy, so the pool does
 * not fragment for good: one command's buffer is always a single contiguous block, which one SGE
 * describes. Bookkeeping only (no memory of its own); not thread-safe, its owner locks.
 */
final class BufferBlocks {
    /** The smallest block: a memory page, so a 4 KiB command takes 4 KiB. */
    static final int UNIT = 4096;
    private static final byte NOT_FREE = -1;

    private final int maxOrder;
    /** Per order, the unit index of the first free block, or -1. */
    private final int[] firstFree;
    /** Per unit index that starts a free block: the next and previous free block of its order. */
    private int[] next = new int[0];
    private int[] previous = new int[0];
    /** Per unit index: the order of the free block starting there, or {@link #NOT_FREE}. */
    private byte[] freeOrder = new byte[0];
    /** Per unit index: the order of the allocated block starting there, or {@link #NOT_FREE}, so a wrong free is caught. */
    private byte[] takenOrder = new byte[0];
    private int units;
    private long freeBytes;

    BufferBlocks(int maxOrder) {
        if (maxOrder < 0 || maxOrder > 30) {
            throw new IllegalArgumentException("max order " + maxOrder + " outside 0..30");
        }
        this.maxOrder = maxOrder;
        firstFree = new int[maxOrder + 1];
        Arrays.fill(firstFree, -1);
    }

    int maxOrder() {
        return maxOrder;
    }

    /** The order of the smallest block that holds {@code bytes} (1 up to the top block's size). */
    static int orderFor(long bytes) {
        return bytes <= UNIT ? 0 : 64 - Long.numberOfLeadingZeros((bytes - 1) / UNIT);
    }

    /** Bytes of a block of order {@code order}. */
    static long blockBytes(int order) {
        return (long) UNIT << order;
    }

    /** Adds {@code count} free top blocks after the ones there; returns the unit index of the first. */
    int addTopBlocks(int count) {
        int first = units;
        int added = count << maxOrder;
        if (count < 1 || added >>> maxOrder != count || (long) first + added > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("cannot add " + count + " blocks of order " + maxOrder + " to " + units + " units");
        }
        units += added;
        if (units > next.length) {  // doubling: a pool that grows chunk by chunk copies its bookkeeping a few times only
            int capacity = (int) Math.min(Integer.MAX_VALUE, Math.max(units, 2L * next.length));
            next = Arrays.copyOf(next, capacity);
            previous = Arrays.copyOf(previous, capacity);
            freeOrder = Arrays.copyOf(freeOrder, capacity);
            takenOrder = Arrays.copyOf(takenOrder, capacity);
        }
        Arrays.fill(freeOrder, first, units, NOT_FREE);
        Arrays.fill(takenOrder, first, units, NOT_FREE);
        for (int u = first; u < units; u += 1 << maxOrder) {
            push(u, maxOrder);
        }
        return first;
    }

    /** Units the allocator covers: its top blocks times {@code 1 << maxOrder}. */
    int units() {
        return units;
    }

    long freeBytes() {
        return freeBytes;
    }

    /** Takes a free block of {@code order}, splitting a larger one if needed; its unit index, or -1 when none is left. */
    int allocate(int order) {
        int from = order;
        while (from <= maxOrder && firstFree[from] < 0) {
            from++;
        }
        if (from > maxOrder) {
            return -1;
        }
        int unit = firstFree[from];
        unlink(unit, from);
        while (from > order) {  // the upper halves stay free, one per order on the way down
            from--;
            push(unit + (1 << from), from);
        }
        takenOrder[unit] = (byte) order;
        return unit;
    }

    /** Gives back the block of {@code order} at {@code unit} and merges it with its free buddies. */
    void free(int unit, int order) {
        if (unit < 0 || unit >= units || order < 0 || order > maxOrder || takenOrder[unit] != order) {
            throw new IllegalStateException("unit " + unit + " is not an allocated block of order " + order);
        }
        takenOrder[unit] = NOT_FREE;
        while (order < maxOrder) {
            int buddy = unit ^ (1 << order);
            if (freeOrder[buddy] != order) {
                break;
            }
            unlink(buddy, order);
            unit = Math.min(unit, buddy);
            order++;
        }
        push(unit, order);
    }

    private void push(int unit, int order) {
        int head = firstFree[order];
        next[unit] = head;
        previous[unit] = -1;
        if (head >= 0) {
            previous[head] = unit;
        }
        firstFree[order] = unit;
        freeOrder[unit] = (byte) order;
        freeBytes += blockBytes(order);
    }

    private void unlink(int unit, int order) {
        int n = next[unit];
        int p = previous[unit];
        if (p >= 0) {
            next[p] = n;
        } else {
            firstFree[order] = n;
        }
        if (n >= 0) {
            previous[n] = p;
        }
        freeOrder[unit] = NOT_FREE;
        freeBytes -= blockBytes(order);
    }
}
