package io.nvmfoffload.target;

import java.util.Objects;

/**
 * Where hosts reach the target: a transport, an IPv4 address and a service id, as nvmet's ports.
 * Which subsystems a port exposes is kept by {@link Target}.
 *
 * @param inCapsuleDataSize bytes of data a command capsule may carry (IOCCSZ = 4 + this / 16)
 * @param options           the transport's tunables, of this port's transport; null: the transport's defaults
 */
public record Port(int id, TransportType transport, String address, int serviceId, int inCapsuleDataSize,
                   TransportOptions options) {
    public static final int DEFAULT_SERVICE_ID = 4420;
    public static final int DEFAULT_IN_CAPSULE_DATA_SIZE = 8192;

    public Port {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(address, "address");
        if (id < 1 || id > 0xFFFF) {
            throw new IllegalArgumentException("port id " + id + " is outside 1..65535");
        }
        if (serviceId < 1 || serviceId > 0xFFFF) {
            throw new IllegalArgumentException("port " + id + ": service id " + serviceId + " is outside 1..65535");
        }
        if (inCapsuleDataSize < 0 || inCapsuleDataSize % 16 != 0 || inCapsuleDataSize > 1 << 20) {
            throw new IllegalArgumentException("port " + id + ": in-capsule data size " + inCapsuleDataSize
                    + " must be a multiple of 16 between 0 and 1 MiB");
        }
        if (options != null && options.transport() != transport) {
            throw new IllegalArgumentException("port " + id + ": " + options.transport().id() + " options given to a "
                    + transport.id() + " port");
        }
    }

    /** With the transport's default options. */
    public Port(int id, TransportType transport, String address, int serviceId, int inCapsuleDataSize) {
        this(id, transport, address, serviceId, inCapsuleDataSize, null);
    }

    public static Port of(int id, TransportType transport, String address, int serviceId) {
        return new Port(id, transport, address, serviceId, DEFAULT_IN_CAPSULE_DATA_SIZE);
    }

    /** This port with other transport options. */
    public Port withOptions(TransportOptions options) {
        return new Port(id, transport, address, serviceId, inCapsuleDataSize, options);
    }

    /** IOCCSZ in 16-byte units: the 64-byte command plus the in-capsule data. */
    public int ioccsz() {
        return (64 + inCapsuleDataSize) / 16;
    }

    @Override
    public String toString() {
        return "port " + id + " (" + transport.id() + " " + address + ":" + serviceId + ")";
    }
}
