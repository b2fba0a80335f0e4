package io.nvmfoffload.verbs;

import java.util.Optional;

/**
 * One valid entry of a port's GID table ({@code struct ibv_gid_entry}).
 *
 * @param type         the GID's protocol; empty when libibverbs is too old to report it
 * @param netdevIndex  ifindex of the netdev the GID belongs to (RoCE), 0 if none
 */
public record GidEntry(int index, int port, Gid gid, Optional<GidType> type, int netdevIndex) {
    @Override
    public String toString() {
        return "GID[" + index + "] " + gid + type.map(t -> " " + t).orElse("");
    }
}
