package io.nvmfoffload.nvmf.transport.rdma;

import io.nvmfoffload.nvmf.transport.buffer.DataBufferPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Commands that wait for a data buffer, as the RDMA poller runs them: each "slot" here is a
 * request slot with its buffer and its queue's share of the pool, started the way
 * {@link NeedBufferStage} starts one.
 */
class BufferWaitsTest {
    private static final int SLOTS = 64;
    private final DataBufferPool pool = new DataBufferPool(4L << 20, 1 << 20, DataBufferPool.Registrar.NONE);
    private final DataBufferPool.Buffer[] buffers = new DataBufferPool.Buffer[SLOTS];
    private final DataBufferPool.Share[] shareOf = new DataBufferPool.Share[SLOTS];
    private final Set<DataBufferPool.Share> gone = new HashSet<>();
    private final List<Integer> started = new ArrayList<>();
    private final List<Integer> released = new ArrayList<>();
    private final BufferWaits waits = new BufferWaits(SLOTS);

    BufferWaitsTest() {
        for (int i = 0; i < SLOTS; i++) {
            buffers[i] = new DataBufferPool.Buffer();
        }
    }

    @AfterEach
    void close() {
        pool.close();
    }

    /** A command on {@code share} that needs {@code length} bytes: it starts at once, or waits behind the others. */
    private void need(int slot, DataBufferPool.Share share, int length) {
        shareOf[slot] = share;
        if (!waits.isEmpty() || start(slot, length) != DataBufferPool.Take.TAKEN) {
            waits.add(slot, length);
        }
    }

    private DataBufferPool.Take start(int slot, int length) {
        DataBufferPool.Take t = pool.take(buffers[slot], shareOf[slot], length);
        if (t == DataBufferPool.Take.TAKEN) {
            started.add(slot);
        }
        return t;
    }

    private boolean dropIfGone(int slot) {
        if (!gone.contains(shareOf[slot])) {
            return false;
        }
        released.add(slot);
        return true;
    }

    private int serve() {
        return waits.serve(this::dropIfGone, this::start);
    }

    /** The command completed: its slot is released and its buffer goes back. */
    private void complete(int slot) {
        pool.give(buffers[slot]);
    }

    @Test
    void anEmptyPoolMakesCommandsWaitAndTheyResumeInOrderAsBuffersComeBack() {
        for (int slot = 0; slot < 4; slot++) {
            need(slot, pool.share(), 1 << 20);
        }
        assertEquals(List.of(0, 1, 2, 3), started, "4 MiB: four 1 MiB buffers");
        need(4, pool.share(), 1 << 20);
        need(5, pool.share(), 4096);
        need(6, pool.share(), 4096);
        assertEquals(3, waits.size(), "the pool is empty: they wait, none fails");
        assertEquals(0, serve(), "nothing came back yet");
        complete(1);
        assertEquals(1, serve(), "one 1 MiB buffer back: the head takes it");
        complete(0);
        assertEquals(2, serve(), "the next one back serves both 4 KiB commands");
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6), started);
        for (int slot : List.of(2, 3, 4, 5, 6)) {
            complete(slot);
        }
        assertEquals(0, pool.use(0).inUseBytes());
        assertEquals(3, waits.peak());
    }

    @Test
    void smallTransfersDoNotOvertakeALargeOneThatWaits() {
        need(0, pool.share(), 1 << 20);
        need(1, pool.share(), 1 << 20);
        need(2, pool.share(), 1 << 20);
        need(3, pool.share(), 512 << 10);
        need(4, pool.share(), 256 << 10);   // 3.75 MiB held, 256 KiB free
        need(5, pool.share(), 1 << 20);     // no 1 MiB block: waits
        need(6, pool.share(), 4096);        // would fit in the free 256 KiB, but waits behind it
        assertEquals(List.of(0, 1, 2, 3, 4), started);
        complete(4);
        assertEquals(0, serve(), "512 KiB free: still no 1 MiB block, and the 4 KiB command stays behind");
        complete(3);
        assertEquals(1, serve(), "the 1 MiB block whole again: the head takes it");
        complete(0);
        assertEquals(1, serve());
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6), started);
    }

    @Test
    void aQueueAtItsBoundWaitsWithoutStallingTheOthers() {
        DataBufferPool.Share greedy = pool.share();
        assertEquals(1L << 20, pool.queueBound(), "a quarter of the 4 MiB pool");
        need(0, greedy, 1 << 20);
        need(1, greedy, 4096);          // over its queue's bound: waits
        need(2, pool.share(), 4096);    // behind it, but its queue has room
        assertEquals(1, serve(), "the other queue's command passes the one at its bound");
        assertEquals(List.of(0, 2), started);
        complete(0);
        assertEquals(1, serve(), "the greedy queue goes on once its own buffer came back");
        assertEquals(List.of(0, 2, 1), started);
    }

    @Test
    void commandsWaitingOnATornDownQueueGiveBackTheirSlotsAndNothingLeaks() {
        DataBufferPool.Share leaving = pool.share();
        List<DataBufferPool.Share> staying = new ArrayList<>();
        need(0, leaving, 1 << 20);
        for (int slot = 1; slot < 4; slot++) {
            staying.add(pool.share());
            need(slot, staying.getLast(), 1 << 20);
        }
        need(4, leaving, 1 << 20);
        need(5, leaving, 4096);
        need(6, pool.share(), 4096);
        assertEquals(3, waits.size());
        gone.add(leaving);   // its host went away while two of its commands waited
        assertEquals(2, serve(), "both dropped; the pool is still empty for the one behind them");
        assertEquals(List.of(4, 5), released);
        complete(0);         // the torn-down queue's command in flight is flushed and frees its buffer
        assertEquals(1, serve());
        for (int slot : List.of(1, 2, 3, 6)) {
            complete(slot);
        }
        assertTrue(waits.isEmpty());
        assertEquals(0, pool.use(0).inUseBytes(), "every buffer back in the pool");
        assertEquals(0, pool.heldBy(leaving));
        for (DataBufferPool.Share s : staying) {
            assertEquals(0, pool.heldBy(s));
        }
    }

    @Test
    void aCommandWhoseStartFailsLeavesTheLineInOrderForTheOthers() {
        for (int slot = 0; slot < 4; slot++) {
            need(slot, pool.share(), 1 << 20);
        }
        need(4, pool.share(), 4096);
        need(5, pool.share(), 4096);
        need(6, pool.share(), 1 << 20);
        complete(0);
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> waits.serve(this::dropIfGone, (slot, length) -> {
                    if (slot == 4) {
                        throw new IllegalStateException("ibv_post_send: the queue pair is in error");
                    }
                    return start(slot, length);
                }));
        assertEquals("ibv_post_send: the queue pair is in error", e.getMessage());
        assertEquals(List.of(0, 1, 2, 3, 5), started, "the one behind it still started");
        assertEquals(1, waits.size(), "the failed one left the line, the 1 MiB one waits");
        complete(5);
        pool.give(buffers[4]);
        complete(1);
        assertEquals(1, serve());
        assertEquals(6, started.getLast());
    }
}
