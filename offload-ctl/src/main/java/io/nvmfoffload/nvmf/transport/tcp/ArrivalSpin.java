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
 * <p>It asks the socket how many bytes are readable ({@code FIONREAD}, through the channel's own
 * stream adaptor, which this class never reads from or closes). The port's
 * {@link TcpTransportOptions#arrivalSpinMicros()} is the budget (0 turns it off).
 */
final class ArrivalSpin {

    private final InputStream readable;
    private final IdleStrategy spin;

    ArrivalSpin(SocketChannel channel, long budgetMicros) throws IOException {
        this.readable = budgetMicros > 0 ? channel.socket().getInputStream() : null;
        this.spin = IdleStrategy.spinFor(budgetMicros * 1000);
    }

    /** Spins until bytes are readable or the budget is spent; true if they are. */
    boolean awaitBytes() throws IOException {
        if (readable == null) {
            return false;
        }
        spin.reset();
        do {
            if (readable.available() > 0) {
                return true;
            }
        } while (spin.spin());
        return false;
    }
}
