package io.nvmfoffload.ctl.config;

import io.nvmfoffload.nvmf.Port;
import io.nvmfoffload.nvmf.TransportOptions;
import io.nvmfoffload.nvmf.TransportType;

import java.util.List;

/**
 * A port and the subsystems it exposes (nvmetcli keeps the links under the port, so do we).
 *
 * @param options                 the transport's options; null: its defaults
 * @param offloadPassthroughSqeRw "offload_passthrough_sqe_rw" 1 (see {@link Port#offloadPassthroughSqeRw()})
 */
public record PortConfig(int id, TransportType transport, String address, int serviceId, int inCapsuleDataSize,
                         int maxIoSize, List<String> subsystems, TransportOptions options, boolean offloadPassthroughSqeRw) {
    /** The port's key, 0 or 1 as the vendor's configfs {@code param_offload_passthrough_sqe_rw}. */
    static final String PASSTHROUGH_SQE_RW = "offload_passthrough_sqe_rw";

    public PortConfig {
        subsystems = subsystems.stream().sorted().toList();
        options = options == null ? PortOptions.defaults(transport) : options;
    }

    /** The port as the running target holds it. */
    public static PortConfig of(Port p, List<String> subsystems) {
        return new PortConfig(p.id(), p.transport(), p.address(), p.serviceId(), p.inCapsuleDataSize(), p.maxIoSize(), subsystems,
                p.options(), p.offloadPassthroughSqeRw());
    }

    public Port toPort() {
        return new Port(id, transport, address, serviceId, inCapsuleDataSize, maxIoSize, options, offloadPassthroughSqeRw);
    }

    /** Whether the listener itself differs (links aside): then the port must be recreated. */
    public boolean sameListener(PortConfig other) {
        return toPort().equals(other.toPort());
    }
}
