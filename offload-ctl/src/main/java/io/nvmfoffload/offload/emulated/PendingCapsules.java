package io.nvmfoffload.offload.emulated;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Capsules the engine accepted while every staging slot was busy: back-pressure, not failure. A
 * fixed ring of capsule-sized entries, so the receive buffer goes back to the SRQ at once.
 */
final class PendingCapsules {
    private final MemorySegment entries;
    private final int entrySize;
    private final int capacity;
    private final QpAttachment[] owners;
    private final int[] lengths;
    /** When each capsule arrived (the flow's clock): a command's latency counts its wait for a slot. */
    private final long[] receivedAt;
    private int head;
    private int count;

    PendingCapsules(Arena arena, int capacity, int entrySize) {
        this.capacity = capacity;
        this.entrySize = entrySize;
        this.entries = arena.allocate((long) capacity * entrySize, 64);
        this.owners = new QpAttachment[capacity];
        this.lengths = new int[capacity];
        this.receivedAt = new long[capacity];
    }

    int count() {
        return count;
    }

    /** Copies the capsule, which arrived at {@code arrival}, in; false when full or the capsule is larger than an entry. */
    boolean add(QpAttachment owner, MemorySegment capsule, long offset, int length, long arrival) {
        if (count == capacity || length > entrySize) {
            return false;
        }
        int i = (head + count) % capacity;
        MemorySegment.copy(capsule, offset, entries, (long) i * entrySize, length);
        owners[i] = owner;
        lengths[i] = length;
        receivedAt[i] = arrival;
        count++;
        return true;
    }

    QpAttachment headOwner() {
        return owners[head];
    }

    MemorySegment segment() {
        return entries;
    }

    long headOffset() {
        return (long) head * entrySize;
    }

    int headLength() {
        return lengths[head];
    }

    long headReceivedAt() {
        return receivedAt[head];
    }

    void removeHead() {
        owners[head] = null;
        head = (head + 1) % capacity;
        count--;
    }
}
