package io.nvmfoffload.nvmf.transport.tcp;

import io.nvmfoffload.idle.IdleStrategy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SocketChannel;

/**
 * A short busy wait for the next PDU before the reader blocks in {@code read}, as the RDMA poller
 * spins on its CQ before it sleeps. Why: a blocked reader is woken by the scheduler, and where the
 * reader's CPU had gone idle that wake-up is the largest part of a queue-depth-1 round trip (under
 * the emulated guest, an idle vCPU woken by an interrupt); the kernel's nvmet-tcp never sleeps
 * there, it runs in the socket's softirq. While the host keeps commands in flight the next PDU is
 * usually there already and no spin happens.
 *
 * <p>A spin that runs out of budget was wasted, and where the cores are contended it takes the CPU
 * that the host (or another queue) needed to send that PDU; so after a miss the next spin is
 * skipped, after consecutive misses twice as many up to {@link #MAX_SKIPPED} waits, and one hit
 * spins on every wait again. It asks the socket how many bytes are readable ({@code FIONREAD},
 * through the channel's own stream adaptor, which this class never reads from or closes). The
 * port's {@link TcpTransportOptions#arrivalSpinMicros()} is the budget (0 turns it off).
 */
final class ArrivalSpin {

    /** The most waits skipped after a run of misses: a queue that went quiet tries again within this many PDUs. */
    static final int MAX_SKIPPED = 64;

    private final InputStream readable;
    private final IdleStrategy spin;
    /** Waits to skip after the misses so far (0, 1, 3, 7, ... MAX_SKIPPED). */
    private int skipAfterMiss;
    /** Waits still to skip before the next spin. */
    private int skipLeft;

    ArrivalSpin(SocketChannel channel, long budgetMicros) throws IOException {
        this.readable = budgetMicros > 0 ? channel.socket().getInputStream() : null;
        this.spin = IdleStrategy.spinFor(budgetMicros * 1000);
    }

    /** Spins until bytes are readable or the budget is spent (unless backing off after misses); true if they are. */
    boolean awaitBytes() throws IOException {
        if (readable == null) {
            return false;
        }
        if (skipLeft > 0) {
            skipLeft--;
            return false;
        }
        spin.reset();
        do {
            if (readable.available() > 0) {
                skipAfterMiss = 0;
                return true;
            }
        } while (spin.spin());
        skipAfterMiss = Math.min(MAX_SKIPPED, skipAfterMiss * 2 + 1);
        skipLeft = skipAfterMiss;
        return false;
    }
}
