package io.nvmfoffload.target.transport.rdma;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What can be seen without a device: when the poller asks whether it may sleep, and that it parks when it may not. */
class PollerIdleTest {

    @Test
    void spinsFirstWithoutAskingWhetherItMaySleep() {
        AtomicInteger asked = new AtomicInteger();
        PollerIdle idle = new PollerIdle(null, null, PollerIdle.Mode.EVENT, 50, () -> {
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
        PollerIdle idle = new PollerIdle(null, null, PollerIdle.Mode.EVENT, 3, () -> {
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
    void parkModeNeverSleepsOnTheCompletionQueue() {
        AtomicInteger asked = new AtomicInteger();
        PollerIdle idle = new PollerIdle(null, null, PollerIdle.Mode.PARK, 0, () -> {
            asked.incrementAndGet();
            return true;
        });
        for (int i = 0; i < 5; i++) {
            idle.idle();
        }
        assertEquals(0, asked.get());
        assertEquals(0, idle.sleeps());
    }

    @Test
    void anUnknownModeNamesTheProperty() {
        System.setProperty(PollerIdle.MODE_PROPERTY, "nap");
        try {
            var e = assertThrows(IllegalArgumentException.class, () -> PollerIdle.fromProperties(null, null, () -> true));
            assertTrue(e.getMessage().contains("-Dnvmf.rdma.idle=nap"), e.getMessage());
        } finally {
            System.clearProperty(PollerIdle.MODE_PROPERTY);
        }
    }

    @Test
    void negativeSpinsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PollerIdle(null, null, PollerIdle.Mode.EVENT, -1, () -> true));
    }
}
