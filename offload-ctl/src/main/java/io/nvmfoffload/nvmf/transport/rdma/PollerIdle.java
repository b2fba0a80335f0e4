package io.nvmfoffload.nvmf.transport.rdma;

import io.nvmfoffload.idle.IdleStrategy;
import io.nvmfoffload.verbs.CompletionChannel;
import io.nvmfoffload.verbs.CompletionQueue;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What the RDMA poller does after a pass that found nothing. It spins a little first (a completion
 * a few microseconds away is then caught without a wake-up), then asks the CQ for an event, polls
 * once more (a completion may have landed before the request) and sleeps on the completion channel
 * until the next completion, as nvmet-rdma's CQ does. A spinning or periodically waking poller
 * takes CPU from everything else on the machine, the host side and rxe included: under a CPU-bound
 * load (a small VM, soft-RoCE) that costs I/O.
 *
 * <p>The sleep is bounded ({@link #SLEEP_MILLIS}) so the poller still sees a port that closes, and
 * it never sleeps while something other than a CQ completion must move (commands waiting for a
 * request slot, an offload engine's commands at its backends): then it parks briefly (20 us, 1 ms
 * after 20,000 empty passes). Poller thread only.
 */
final class PollerIdle {
    /** Empty passes spun before sleeping. */
    static final int SPINS = 200;
    static final long SLEEP_MILLIS = 20;

    private final CompletionQueue cq;
    /** The offload SRQs' CQs, on the same channel: armed with the listener's, their events acknowledged at once. */
    private final Supplier<OffloadReceiveQueue[]> offloadReceives;
    private final CompletionChannel channel;
    private final IdleStrategy backoff;
    private final BooleanSupplier maySleep;
    private boolean armed;
    private int unacknowledgedEvents;
    private long sleeps;

    /** @param maySleep asked just before sleeping: nothing but a CQ completion can bring the poller new work */
    PollerIdle(CompletionQueue cq, Supplier<OffloadReceiveQueue[]> offloadReceives, CompletionChannel channel, int spins,
               BooleanSupplier maySleep) {
        this.cq = cq;
        this.offloadReceives = offloadReceives;
        this.channel = channel;
        this.backoff = IdleStrategy.spinThenPark(spins, 20_000).parkLongerAfter(20_000, 1_000_000);
        this.maySleep = maySleep;
    }

    /** A pass found work. */
    void busy() {
        backoff.reset();
        armed = false;
    }

    /** A pass found nothing: spin, sleep on the CQ or park. */
    void idle() {
        if (backoff.spin()) {
            return;
        }
        if (!maySleep.getAsBoolean()) {
            backoff.park();
            return;
        }
        if (!armed) {
            cq.requestNotification(false);
            for (OffloadReceiveQueue o : offloadReceives.get()) {
                o.cq.requestNotification(false);
            }
            armed = true;
            return;  // one more pass: what came before the request raises no event
        }
        armed = false;
        sleeps++;
        CompletionQueue signalled = channel.awaitEvent(SLEEP_MILLIS);
        if (signalled == null) {
            return;
        }
        if (signalled != cq) {
            signalled.acknowledgeEvents(1);
        } else if (++unacknowledgedEvents >= 64) {
            cq.acknowledgeEvents(unacknowledgedEvents);  // in batches: it takes a lock
            unacknowledgedEvents = 0;
        }
    }

    /** Times the poller went to sleep on the CQ. */
    long sleeps() {
        return sleeps;
    }
}
