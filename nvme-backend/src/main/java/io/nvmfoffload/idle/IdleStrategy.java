package io.nvmfoffload.idle;

import java.util.concurrent.locks.LockSupport;

/**
 * How a polling thread waits while its passes find no work, modelled on Agrona's
 * {@code IdleStrategy}: each pass calls {@link #idle(int)} with the work it did; work starts the
 * back-off over, no work takes its next step: spin ({@link Thread#onSpinWait}, or a yield every
 * n-th time), then park. The spin lasts a number of empty passes or a time since the last work;
 * the park may grow longer after many empty passes. A thread that sleeps in a way of its own (on a
 * completion channel, or behind a flag its producer reads) calls {@link #spin()} and
 * {@link #park()} itself.
 *
 * <p>One class for every polling loop of the project, so each states its spin and park as numbers.
 * One thread only.
 */
public final class IdleStrategy {
    private static final long NO_TIME_LIMIT = -1;

    private final int maxSpins;
    private final long spinNanos;
    private final int yieldEvery;
    private final long parkNanos;
    private final int longParkAfter;
    private final long longParkNanos;
    /** Empty passes since the last work, at most Integer.MAX_VALUE. */
    private int idlePasses;
    private long idleSince;

    private IdleStrategy(int maxSpins, long spinNanos, int yieldEvery, long parkNanos, int longParkAfter, long longParkNanos) {
        if (maxSpins < 0 || yieldEvery < 0 || parkNanos < 0 || longParkAfter < 0 || longParkNanos < 0) {
            throw new IllegalArgumentException("idle strategy: spins " + maxSpins + ", yield every " + yieldEvery + ", park "
                    + parkNanos + " ns, longer after " + longParkAfter + " passes: expected 0 or more each");
        }
        this.maxSpins = maxSpins;
        this.spinNanos = spinNanos;
        this.yieldEvery = yieldEvery;
        this.parkNanos = parkNanos;
        this.longParkAfter = longParkAfter;
        this.longParkNanos = longParkNanos;
        reset();
    }

    /** Spins {@code spins} empty passes after the last work, then parks {@code parkNanos} at a time. */
    public static IdleStrategy spinThenPark(int spins, long parkNanos) {
        return new IdleStrategy(spins, NO_TIME_LIMIT, 0, parkNanos, Integer.MAX_VALUE, parkNanos);
    }

    /**
     * Spins for {@code spinNanos} after the last work, every {@code yieldEvery}-th empty pass a
     * {@link Thread#yield} (0: never), then parks {@code parkNanos} at a time.
     */
    public static IdleStrategy spinForThenPark(long spinNanos, int yieldEvery, long parkNanos) {
        if (spinNanos < 0) {
            throw new IllegalArgumentException("idle strategy: spin time " + spinNanos + " ns: expected 0 or more");
        }
        return new IdleStrategy(0, spinNanos, yieldEvery, parkNanos, Integer.MAX_VALUE, parkNanos);
    }

    /** Spins for {@code spinNanos} after {@link #reset()}, never parks: for a wait that blocks elsewhere once the spin is spent. */
    public static IdleStrategy spinFor(long spinNanos) {
        return spinForThenPark(spinNanos, 0, 0);
    }

    /** This strategy, but parking {@code nanos} once more than {@code passes} empty passes went by since the last work. */
    public IdleStrategy parkLongerAfter(int passes, long nanos) {
        return new IdleStrategy(maxSpins, spinNanos, yieldEvery, parkNanos, passes, nanos);
    }

    /** Agrona's contract: {@code workCount} > 0 starts the back-off over, 0 takes its next step. */
    public void idle(int workCount) {
        if (workCount > 0) {
            reset();
        } else {
            idle();
        }
    }

    /** One empty pass: spin while the spin lasts, else park. */
    public void idle() {
        if (!spin()) {
            park();
        }
    }

    /** Work was done: the next empty pass spins from the start. */
    public void reset() {
        idlePasses = 0;
        if (spinNanos != NO_TIME_LIMIT) {
            idleSince = System.nanoTime();
        }
    }

    /** Counts an empty pass and spins (or yields) while the spin lasts; false, without spinning, once it is spent. */
    public boolean spin() {
        if (idlePasses < Integer.MAX_VALUE) {
            idlePasses++;
        }
        boolean spinning = spinNanos == NO_TIME_LIMIT ? idlePasses <= maxSpins : System.nanoTime() - idleSince < spinNanos;
        if (!spinning) {
            return false;
        }
        if (yieldEvery > 0 && idlePasses % yieldEvery == 0) {
            Thread.yield();
        } else {
            Thread.onSpinWait();
        }
        return true;
    }

    /** Parks for the current park period ({@link LockSupport#unpark} ends it early); no park period: returns at once. */
    public void park() {
        long nanos = parkNanos();
        if (nanos > 0) {
            LockSupport.parkNanos(nanos);
        }
    }

    /** The park period now: the longer one after more than the given empty passes. */
    long parkNanos() {
        return idlePasses > longParkAfter ? longParkNanos : parkNanos;
    }
}
