package io.nvmfoffload.ctl.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nvmfoffload.offload.OffloadEvent;
import io.nvmfoffload.offload.OffloadManager;
import io.nvmfoffload.offload.OffloadNamespaceStatus;
import io.nvmfoffload.nvmf.server.TargetServer;
import io.nvmfoffload.verbs.nvmf.OffloadNamespaceCounters;

/**
 * Live offload state from the server's offload manager: one entry per offloaded namespace and port,
 * with the provider that serves it, its route (offloaded, or software and why) and its counters.
 * Null until an RDMA port has started the manager.
 */
final class OffloadManagerState implements OffloadStateSource {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private final TargetServer server;

    OffloadManagerState(TargetServer server) {
        this.server = server;
    }

    @Override
    public JsonNode liveState(String subsystemNqn) {
        OffloadManager m = server.offloadsIfStarted();
        if (m == null) {
            return null;
        }
        ArrayNode a = F.arrayNode();
        for (OffloadNamespaceStatus s : m.status()) {
            if (s.subsystemNqn().equals(subsystemNqn)) {
                ObjectNode o = a.addObject().put("provider", s.provider()).put("port", s.portId()).put("nsid", s.nsid())
                        .put("route", s.route()).put("backend_controller", s.backendControllerId())
                        .put("command_timeout_us", s.commandTimeoutUs()).put("queue_depth", s.queueDepth())
                        .put("unknown_namespace_commands", s.unknownNamespaceCommands())
                        .put("remote_invalidations", s.remoteInvalidations());
                o.set("counters", counters(s.counters()));
            }
        }
        return a.isEmpty() ? null : a;
    }

    /** The engine's counters by name, as status, stats and Prometheus show them. */
    static final String[] COUNTERS = {"read_commands", "read_blocks", "write_commands", "write_blocks",
            "inline_write_commands", "flush_commands", "error_commands", "backend_error_commands"};

    private static ObjectNode counters(OffloadNamespaceCounters c) {
        OffloadNamespaceCounters n = c == null ? OffloadNamespaceCounters.ZERO : c;
        long[] values = {n.readCommands(), n.readBlocks(), n.writeCommands(), n.writeBlocks(), n.inlineWriteCommands(),
                n.flushCommands(), n.errorCommands(), n.backendErrorCommands()};
        ObjectNode o = F.objectNode();
        for (int i = 0; i < COUNTERS.length; i++) {
            o.put(COUNTERS[i], values[i]);
        }
        return o;
    }

    static ObjectNode event(OffloadEvent e) {
        return F.objectNode().put("provider", e.provider()).put("port", e.portId()).put("subsystem", e.subsystemNqn())
                .put("nsid", e.nsid()).put("detail", e.detail());
    }
}
