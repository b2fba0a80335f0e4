package io.nvmfoffload.nvmf.transport.rdma;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What can be seen without a device: when the poller asks whether it may sleep, and that it parks when it may not. */
class PollerIdleTest {

    @Test
    void spinsFirstWithoutAskingWhetherItMaySleep() {
        AtomicInteger asked = new AtomicInteger();
        PollerIdle idle = new PollerIdle(null, () -> new OffloadReceiveQueue[0], null, 50, () -> {
            asked.incrementAndGet();
            return false;
        });
        for (int i = 0; i < 50; i++) {
            idle.idle();
        }
        assertEquals(0, asked.get());
        idle.idle();  // past the spins: asks, is told no, parks (the CQ, null here, is never touched)
        assertEquals(1, asked.get());
        assertEquals(0, idle.sleeps());
    }

    @Test
    void workStartsTheSpinAgain() {
        AtomicInteger asked = new AtomicInteger();
        PollerIdle idle = new PollerIdle(null, () -> new OffloadReceiveQueue[0], null, 3, () -> {
            asked.incrementAndGet();
            return false;
        });
        for (int i = 0; i < 4; i++) {
            idle.idle();
        }
        assertEquals(1, asked.get());
        idle.busy();
        for (int i = 0; i < 3; i++) {
            idle.idle();
        }
        assertEquals(1, asked.get(), "spinning again after work, not asking");
    }

    @Test
    void negativeSpinsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PollerIdle(null, () -> new OffloadReceiveQueue[0], null, -1, () -> true));
    }
}
