package io.nvmfoffload.ctl.config;

import io.nvmfoffload.target.Port;
import io.nvmfoffload.target.TransportType;

import java.util.List;

/** A port and the subsystems it exposes (nvmetcli keeps the links under the port, so do we). */
public record PortConfig(int id, TransportType transport, String address, int serviceId, int inCapsuleDataSize,
                         int maxIoSize, List<String> subsystems) {
    public PortConfig {
        subsystems = subsystems.stream().sorted().toList();
    }

    public Port toPort() {
        return new Port(id, transport, address, serviceId, inCapsuleDataSize, maxIoSize);
    }

    /** Whether the listener itself differs (links aside): then the port must be recreated. */
    public boolean sameListener(PortConfig other) {
        return toPort().equals(other.toPort());
    }
}
