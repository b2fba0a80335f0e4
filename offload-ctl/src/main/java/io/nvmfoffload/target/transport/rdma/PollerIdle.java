package io.nvmfoffload.target.transport.rdma;

import io.nvmfoffload.verbs.CompletionChannel;
import io.nvmfoffload.verbs.CompletionQueue;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * What the RDMA poller does after a pass that found nothing. It spins a little first (a completion
 * a few microseconds away is then caught without a wake-up), then, in {@link Mode#EVENT}, asks the
 * CQ for an event, polls once more (a completion may have landed before the request) and sleeps on
 * the completion channel until the next completion, as nvmet-rdma's CQ does. A spinning or
 * periodically waking poller takes CPU from everything else on the machine, the host side and rxe
 * included: under a CPU-bound load (a small VM, soft-RoCE) that costs I/O.
 *
 * <p>The sleep is bounded ({@link #SLEEP_MILLIS}) so the poller still sees a port that closes, and
 * it never sleeps while something other than a CQ completion must move (commands waiting for a
 * request slot, an offload engine's commands at its backends): then it parks briefly, as
 * {@link Mode#PARK} always does. Poller thread only.
 */
final class PollerIdle {
    /** {@code event} (default) or {@code park}: the latter never sleeps on the CQ, for comparison. */
    static final String MODE_PROPERTY = "nvmf.rdma.idle";
    /** Empty passes spun before sleeping. */
    static final String SPINS_PROPERTY = "nvmf.rdma.idleSpins";
    static final long SLEEP_MILLIS = 20;

    enum Mode { EVENT, PARK }

    private final CompletionQueue cq;
    private final CompletionChannel channel;
    private final Mode mode;
    private final int spins;
    private final BooleanSupplier maySleep;
    private int emptyPasses;
    private boolean armed;
    private int unacknowledgedEvents;
    private long sleeps;

    /** @param maySleep asked just before sleeping: nothing but a CQ completion can bring the poller new work */
    PollerIdle(CompletionQueue cq, CompletionChannel channel, Mode mode, int spins, BooleanSupplier maySleep) {
        if (spins < 0) {
            throw new IllegalArgumentException("idle spins " + spins + ": expected 0 or more");
        }
        this.cq = cq;
        this.channel = channel;
        this.mode = mode;
        this.spins = spins;
        this.maySleep = maySleep;
    }

    static PollerIdle fromProperties(CompletionQueue cq, CompletionChannel channel, BooleanSupplier maySleep) {
        String m = System.getProperty(MODE_PROPERTY, "event");
        Mode mode = switch (m) {
            case "event" -> Mode.EVENT;
            case "park" -> Mode.PARK;
            default -> throw new IllegalArgumentException("-D" + MODE_PROPERTY + "=" + m + ": expected event or park");
        };
        return new PollerIdle(cq, channel, mode, Integer.getInteger(SPINS_PROPERTY, 200), maySleep);
    }

    /** A pass found work. */
    void busy() {
        emptyPasses = 0;
        armed = false;
    }

    /** A pass found nothing: spin, sleep on the CQ or park. */
    void idle() {
        if (++emptyPasses <= spins) {
            Thread.onSpinWait();
            return;
        }
        if (mode == Mode.PARK || !maySleep.getAsBoolean()) {
            LockSupport.parkNanos(emptyPasses > 20_000 ? 1_000_000 : 20_000);
            return;
        }
        if (!armed) {
            cq.requestNotification(false);
            armed = true;
            return;  // one more pass: what came before the request raises no event
        }
        armed = false;
        sleeps++;
        if (channel.awaitEvent(SLEEP_MILLIS) != null && ++unacknowledgedEvents >= 64) {
            cq.acknowledgeEvents(unacknowledgedEvents);  // in batches: it takes a lock
            unacknowledgedEvents = 0;
        }
    }

    /** Times the poller went to sleep on the CQ. */
    long sleeps() {
        return sleeps;
    }
}
