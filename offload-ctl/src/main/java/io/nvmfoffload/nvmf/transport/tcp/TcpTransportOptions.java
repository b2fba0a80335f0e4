package io.nvmfoffload.nvmf.transport.tcp;

import io.nvmfoffload.nvmf.Port;
import io.nvmfoffload.nvmf.TransportOptions;
import io.nvmfoffload.nvmf.TransportType;

/**
 * What a user may tune of an NVMe/TCP port: the document's "tcp" object of the port.
 * {@link #DEFAULTS} is what a port gets without it.
 *
 * @param arrivalSpinMicros arrival_spin_us: how long a queue's reader spins for the next PDU before it blocks in read (0: never)
 */
public record TcpTransportOptions(int arrivalSpinMicros) implements TransportOptions {
    public static final int MAX_ARRIVAL_SPIN_MICROS = 100_000;
    /** A blocked reader's wake-up is most of a queue-depth-1 round trip; nvmet-tcp never sleeps there. */
    public static final int DEFAULT_ARRIVAL_SPIN_MICROS = 200;
    public static final TcpTransportOptions DEFAULTS = new TcpTransportOptions(DEFAULT_ARRIVAL_SPIN_MICROS);

    public TcpTransportOptions {
        if (arrivalSpinMicros < 0 || arrivalSpinMicros > MAX_ARRIVAL_SPIN_MICROS) {
            throw new IllegalArgumentException("tcp option arrival_spin_us " + arrivalSpinMicros + " is out of range: expected 0 to "
                    + MAX_ARRIVAL_SPIN_MICROS);
        }
    }

    /** The options of {@code port}, a TCP port: its own, or the defaults when it has none. */
    public static TcpTransportOptions of(Port port) {
        return port.options() == null ? DEFAULTS : (TcpTransportOptions) port.options();
    }

    @Override
    public TransportType transport() {
        return TransportType.TCP;
    }
}
