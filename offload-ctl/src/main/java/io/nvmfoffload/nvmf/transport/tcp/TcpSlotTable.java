package io.nvmfoffload.nvmf.transport.tcp;

import io.nvmfoffload.nvmf.core.Request;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * One queue's request slots. The host may have at most its queue's size (SQSIZE + 1) commands
 * outstanding; a response counts as done once it is sent, so slots are made, as the host uses
 * them, up to twice that (as nvmet-tcp's) for the moment between a response going out and its
 * slot coming back. The reader takes slots; whoever completes a request frees it.
 */
final class TcpSlotTable {
    /** Slots before CONNECT tells the queue size: enough for the admin queue. */
    static final int INITIAL_SLOTS = 32;
    /**
     * Slots' SQEs and CQEs live on the heap: only Java code reads them (the transmitter copies the
     * CQE into its own buffer), and the GC frees them without the JVM-wide handshake a closed
     * shared arena costs. Backed by long[] for the 8-byte alignment the entries' layouts need.
     */
    private static final SegmentAllocator HEAP = (bytes, alignment) ->
            MemorySegment.ofArray(new long[(int) ((bytes + 7) / 8)]).asSlice(0, bytes);

    private TcpSlot[] slots = new TcpSlot[0];
    private int[] free = new int[0];
    private int freeCount;
    /** Commands received whose response has not been sent. */
    private int outstanding;

    TcpSlotTable() {
        grow(INITIAL_SLOTS);
    }

    private synchronized void grow(int count) {
        if (count <= slots.length) {
            return;
        }
        TcpSlot[] grown = Arrays.copyOf(slots, count);
        int[] grownFree = Arrays.copyOf(free, count);
        for (int i = slots.length; i < count; i++) {
            grown[i] = new TcpSlot(new Request(HEAP, i));
            grownFree[freeCount++] = i;
        }
        slots = grown;
        free = grownFree;
    }

    /** A free slot for a new command of a queue of {@code size} entries (0: not connected yet). */
    synchronized TcpSlot take(int size) throws TcpProtocolException {
        int limit = size == 0 ? INITIAL_SLOTS : size;
        if (freeCount == 0 && slots.length < 2 * limit) {
            grow(Math.min(2 * limit, Math.max(INITIAL_SLOTS, 2 * slots.length)));
        }
        if (outstanding >= limit || freeCount == 0) {
            throw new TcpProtocolException(Pdu.FES_PDU_SEQUENCE_ERROR, 0,
                    "the host has more than " + limit + " commands outstanding, its queue's size");
        }
        outstanding++;
        return slots[free[--freeCount]];
    }

    /** A response is on its way: the host may send its next command. */
    synchronized void responseSent() {
        outstanding--;
    }

    synchronized void free(TcpSlot slot) {
        free[freeCount++] = slot.index();
    }

    /** The slot of transfer tag (slot index) {@code tag}, or null when there is none. */
    synchronized TcpSlot get(int tag) {
        return tag >= 0 && tag < slots.length ? slots[tag] : null;
    }

    /** Slots made so far: the range of transfer tags. */
    synchronized int size() {
        return slots.length;
    }

    synchronized void forEach(Consumer<TcpSlot> action) {
        for (TcpSlot s : slots) {
            action.accept(s);
        }
    }
}
