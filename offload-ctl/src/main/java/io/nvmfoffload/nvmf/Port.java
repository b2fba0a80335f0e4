package io.nvmfoffload.nvmf;

import java.util.Objects;

/**
 * Where hosts reach the target: a transport, an IPv4 address and a service id, as nvmet's ports.
 * Which subsystems a port exposes is kept by {@link Target}.
 *
 * @param inCapsuleDataSize bytes of data a command capsule may carry (IOCCSZ = 4 + this / 16)
 * @param maxIoSize         the largest data transfer of one command, a power of two from
 *                          {@value #MIN_MAX_IO_SIZE} to {@value #MAX_MAX_IO_SIZE} bytes; MDTS is
 *                          log2(this / 4 KiB), and each command's data buffer is at most this
 * @param options           the transport's tunables, of this port's transport; null: the transport's defaults
 * @param offloadPassthroughSqeRw the vendor's {@code param_offload_passthrough_sqe_rw}: the NVMf offload of
 *                          this port's subsystems passes the host's read and write SQEs to the backend as
 *                          they came rather than rebuilt; rdma ports only, and the device must offer it
 */
public record Port(int id, TransportType transport, String address, int serviceId, int inCapsuleDataSize, int maxIoSize,
                   TransportOptions options, boolean offloadPassthroughSqeRw) {
    public static final int DEFAULT_SERVICE_ID = 4420;
    public static final int DEFAULT_IN_CAPSULE_DATA_SIZE = 8192;
    /** nvmet-rdma's MDTS 8: hosts size their I/O by it, and 1 MiB is what the Linux host expects. */
    public static final int DEFAULT_MAX_IO_SIZE = 1 << 20;
    /** Two memory pages (MDTS 1): MDTS 0 would tell hosts there is no limit at all. */
    public static final int MIN_MAX_IO_SIZE = 8192;
    /** MDTS 11: a command's buffer is one block of the port's data buffer pool; hosts split larger I/O anyway. */
    public static final int MAX_MAX_IO_SIZE = 8 << 20;

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
        if (Integer.bitCount(maxIoSize) != 1 || maxIoSize < MIN_MAX_IO_SIZE || maxIoSize > MAX_MAX_IO_SIZE) {
            throw new IllegalArgumentException("port " + id + ": max I/O size " + maxIoSize + " must be a power of two from "
                    + MIN_MAX_IO_SIZE + " to " + MAX_MAX_IO_SIZE + " bytes");
        }
        if (options != null && options.transport() != transport) {
            throw new IllegalArgumentException("port " + id + ": " + options.transport().id() + " options given to a "
                    + transport.id() + " port");
        }
        if (offloadPassthroughSqeRw && transport != TransportType.RDMA) {
            throw new IllegalArgumentException("port " + id + ": offload_passthrough_sqe_rw is an NVMf offload parameter, "
                    + "for rdma ports; this one is " + transport.id());
        }
    }

    /** Without the NVMf offload's SQE passthrough. */
    public Port(int id, TransportType transport, String address, int serviceId, int inCapsuleDataSize, int maxIoSize,
                TransportOptions options) {
        this(id, transport, address, serviceId, inCapsuleDataSize, maxIoSize, options, false);
    }

    /** A port with the largest transfer at its default, {@value #DEFAULT_MAX_IO_SIZE} bytes, and the transport's default options. */
    public Port(int id, TransportType transport, String address, int serviceId, int inCapsuleDataSize) {
        this(id, transport, address, serviceId, inCapsuleDataSize, DEFAULT_MAX_IO_SIZE, null);
    }

    /** With the transport's default options. */
    public Port(int id, TransportType transport, String address, int serviceId, int inCapsuleDataSize, int maxIoSize) {
        this(id, transport, address, serviceId, inCapsuleDataSize, maxIoSize, null);
    }

    /** With the largest transfer at its default. */
    public Port(int id, TransportType transport, String address, int serviceId, int inCapsuleDataSize, TransportOptions options) {
        this(id, transport, address, serviceId, inCapsuleDataSize, DEFAULT_MAX_IO_SIZE, options);
    }

    public static Port of(int id, TransportType transport, String address, int serviceId) {
        return new Port(id, transport, address, serviceId, DEFAULT_IN_CAPSULE_DATA_SIZE);
    }

    /** This port with other transport options. */
    public Port withOptions(TransportOptions options) {
        return new Port(id, transport, address, serviceId, inCapsuleDataSize, maxIoSize, options, offloadPassthroughSqeRw);
    }

    /** IOCCSZ in 16-byte units: the 64-byte command plus the in-capsule data. */
    public int ioccsz() {
        return (64 + inCapsuleDataSize) / 16;
    }

    /**
     * MDTS, the Identify Controller field, for a largest transfer of {@code bytes}: a power of two
     * in units of the minimum memory page size (MPSMIN, 4 KiB), as the field is defined.
     */
    public static int mdts(long bytes) {
        return Long.numberOfTrailingZeros(bytes / 4096);
    }

    @Override
    public String toString() {
        return "port " + id + " (" + transport.id() + " " + address + ":" + serviceId + ")";
    }
}
