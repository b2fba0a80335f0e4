package io.nvmfoffload.idle;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdleStrategyTest {

    @Test
    void spinsItsEmptyPassesThenNoMore() {
        IdleStrategy idle = IdleStrategy.spinThenPark(3, 1_000);
        for (int i = 0; i < 3; i++) {
            assertTrue(idle.spin(), "pass " + (i + 1));
        }
        assertFalse(idle.spin());
        assertFalse(idle.spin());
    }

    @Test
    void workStartsTheSpinOver() {
        IdleStrategy idle = IdleStrategy.spinThenPark(1, 1_000);
        idle.idle(0);
        assertFalse(idle.spin());
        idle.idle(5);
        assertTrue(idle.spin(), "spinning again after work");
    }

    @Test
    void aTimedSpinLastsItsTimeSinceTheLastWork() {
        IdleStrategy idle = IdleStrategy.spinFor(2_000_000);
        long start = System.nanoTime();
        idle.reset();
        int spins = 0;
        while (idle.spin()) {
            spins++;
        }
        assertTrue(System.nanoTime() - start >= 2_000_000, "spun its 2 ms");
        assertTrue(spins > 0);
        idle.reset();
        assertTrue(idle.spin(), "a new budget after work");
    }

    @Test
    void noSpinAtAllParksOrGivesUpAtOnce() {
        assertFalse(IdleStrategy.spinThenPark(0, 1_000).spin());
        assertFalse(IdleStrategy.spinFor(0).spin());
    }

    @Test
    void parksLongerOnlyAfterItsCountOfEmptyPasses() {
        IdleStrategy idle = IdleStrategy.spinThenPark(2, 20_000).parkLongerAfter(4, 1_000_000);
        for (int i = 0; i < 4; i++) {
            idle.spin();
        }
        assertEquals(20_000, idle.parkNanos());
        idle.spin();
        assertEquals(1_000_000, idle.parkNanos(), "past 4 empty passes");
        idle.reset();
        assertEquals(20_000, idle.parkNanos(), "work ends the long parks");
    }

    @Test
    void aParkEndsWhenAnotherThreadUnparks() throws InterruptedException {
        IdleStrategy idle = IdleStrategy.spinThenPark(0, 60_000_000_000L);
        Thread sleeper = Thread.ofPlatform().start(idle::idle);
        Thread.sleep(50);
        java.util.concurrent.locks.LockSupport.unpark(sleeper);
        sleeper.join(10_000);
        assertFalse(sleeper.isAlive(), "unparked before its minute was up");
    }

    @Test
    void negativeCountsAndTimesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> IdleStrategy.spinThenPark(-1, 1_000));
        assertThrows(IllegalArgumentException.class, () -> IdleStrategy.spinFor(-1));
        assertThrows(IllegalArgumentException.class, () -> IdleStrategy.spinThenPark(1, 1_000).parkLongerAfter(-1, 1));
    }
}
