package io.nvmfoffload.ctl.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nvmfoffload.ctl.config.ConfigService;
import io.nvmfoffload.ctl.config.ConfigWriter;
import io.nvmfoffload.ctl.config.OffloadConfig;
import io.nvmfoffload.ctl.config.ProviderConfig;
import io.nvmfoffload.offload.BackendRecovery;
import io.nvmfoffload.offload.OffloadManager;
import io.nvmfoffload.nvmf.NamespaceCounters;
import io.nvmfoffload.nvmf.Port;
import io.nvmfoffload.nvmf.Subsystem;
import io.nvmfoffload.nvmf.TargetNamespace;
import io.nvmfoffload.nvmf.core.Controller;
import io.nvmfoffload.nvmf.server.TargetServer;
import io.nvmfoffload.nvmf.transport.PortListener;
import io.nvmfoffload.nvmf.transport.buffer.DataBufferUse;
import io.nvmfoffload.nvmf.transport.rdma.RdmaTransport;
import io.nvmfoffload.nvmf.transport.tcp.TcpTransport;

import java.util.Comparator;

/**
 * What status and stats report. Every offload entry names its provider and says whether the state
 * shown is configured or live, so emulation is never mistaken for hardware.
 */
public final class TargetStatus {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private final ConfigService service;
    private final TargetServer server;
    private final OffloadStateSource live;

    /** {@code server} may be null for a target that is configured but not serving. */
    public TargetStatus(ConfigService service, TargetServer server, OffloadStateSource live) {
        this.service = service;
        this.server = server;
        this.live = live;
    }

    /** The serving target, or null. */
    TargetServer server() {
        return server;
    }

    public ObjectNode status() {
        ObjectNode s = F.objectNode();
        s.set("config", service.currentDocument());
        s.set("offload", offload(null));
        s.set("listeners", listeners());
        ArrayNode ctrls = s.putArray("controllers");
        if (server != null) {
            server.core().controllers().stream().sorted(Comparator.comparing(Controller::subsystemNqn).thenComparing(Controller::cntlid))
                    .forEach(c -> ctrls.addObject().put("subsystem", c.subsystemNqn()).put("cntlid", c.cntlid())
                            .put("host", c.hostNqn()).put("port", c.port().id()).put("state", c.state().name().toLowerCase()));
        }
        s.put("discovery_generation", service.control().target().generation());
        return s;
    }

    /** Per subsystem (or only {@code nqn}): the provider, the configured offload, and the live state if any. */
    public ObjectNode offload(String nqn) {
        ProviderConfig p = service.control().provider();
        ObjectNode o = provider(p);
        ArrayNode subs = o.putArray("subsystems");
        for (Subsystem s : service.control().target().subsystems()) {
            if (nqn != null && !nqn.equals(s.nqn())) {
                continue;
            }
            ObjectNode e = subs.addObject().put("nqn", s.nqn()).put("provider", p.name());
            OffloadConfig configured = OffloadConfig.of(s.offload());
            e.set("configured", configured == null ? F.objectNode().put("enabled", false) : ConfigWriter.offload(configured));
            JsonNode state = configured == null ? null : live.liveState(s.nqn());
            e.set("live", state != null ? state : F.textNode(configured == null ? "software path only"
                    : "not reported: no RDMA port has started the offload manager, or it holds no context for this subsystem"));
        }
        if (nqn != null && subs.isEmpty()) {
            throw new IllegalArgumentException("no subsystem " + nqn);
        }
        return o;
    }

    /**
     * offload.recover: the operator's word that the backend device of an offloaded subsystem is
     * repaired after PCI errors; it is reset and its namespaces go back on offload.
     */
    public ObjectNode recoverOffload(String nqn, Integer port) {
        if (server == null) {
            throw new IllegalStateException("the target is not serving: no offload to recover");
        }
        ObjectNode o = provider(service.control().provider()).put("nqn", nqn);
        ArrayNode a = o.putArray("namespaces");
        // offloadsIfStarted: creating the manager here would fix the provider although nothing is offloaded
        OffloadManager offloads = server.offloadsIfStarted();
        if (offloads == null) {
            throw new IllegalArgumentException("subsystem " + nqn + " is not offloaded" + (port == null ? "" : " on port " + port)
                    + ": no RDMA port has started the offload manager");
        }
        for (BackendRecovery r : offloads.recoverAfterPciError(port, nqn)) {
            a.addObject().put("port", r.portId()).put("nsid", r.nsid()).put("offloaded", r.offloaded()).put("outcome", r.detail());
        }
        return o;
    }

    private static ObjectNode provider(ProviderConfig p) {
        ObjectNode o = F.objectNode().put("provider", p.name());
        if (p.profile() != null) {
            o.put("profile", p.profile().name());
            o.put("note", "emulated provider: the NIC's offload engine modelled in user space with the "
                    + p.profile().name() + " profile's numbers; not hardware");
        } else {
            o.put("note", "no offload provider: every I/O takes the software path");
        }
        return o;
    }

    private ArrayNode listeners() {
        ArrayNode a = F.arrayNode();
        if (server != null) {
            for (PortListener listener : server.listeners()) {
                Port p = listener.port();
                ObjectNode l = a.addObject().put("port", p.id()).put("transport", p.transport().id()).put("address", p.address())
                        .put("service_id", p.serviceId());
                // each transport's own words: TCP connections and their receive offload, RDMA queues and receive buffers
                switch (listener) {
                    case TcpTransport t -> l.put("connections", t.connectionCount()).set("ulp_ddp", UlpDdpState.device(t, true));
                    case RdmaTransport r -> l.put("queues", r.connectionCount())
                            .put("receive_queues", r.sharesReceiveQueue() ? "shared" : "per queue pair")
                            .put("receive_buffers", r.receiveBuffers());
                    default -> l.put("connections", listener.connectionCount());
                }
                putDataBuffers(l, listener.dataBuffers());
            }
        }
        return a;
    }

    /** A listener's data buffer pool: its size, the memory made so far, what commands and queues hold. */
    private static void putDataBuffers(ObjectNode listener, DataBufferUse d) {
        listener.putObject("data_buffers").put("pool_size", d.capacityBytes()).put("allocated", d.allocatedBytes())
                .put("in_use", d.inUseBytes()).put("peak_in_use", d.peakInUseBytes()).put("peak_waiting", d.peakWaiting());
    }

    /** Software-path I/O counters per subsystem; per namespace too with {@code perNamespace}. */
    public ObjectNode stats(boolean perNamespace) {
        ObjectNode s = F.objectNode();
        s.set("offload", provider(service.control().provider()));
        ObjectNode total = s.putObject("totals");
        ArrayNode subs = s.putArray("subsystems");
        long[] all = new long[6];
        for (Subsystem sub : service.control().target().subsystems()) {
            ObjectNode e = subs.addObject().put("nqn", sub.nqn());
            long controllers = server == null ? 0 : server.core().controllers().stream().filter(c -> sub.nqn().equals(c.subsystemNqn())).count();
            e.put("controllers", controllers);
            long[] sums = new long[6];
            ArrayNode nss = perNamespace ? e.putArray("namespaces") : null;
            for (TargetNamespace ns : sub.namespaces()) {
                long[] c = counters(ns.counters());
                for (int i = 0; i < 6; i++) {
                    sums[i] += c[i];
                    all[i] += c[i];
                }
                if (nss != null) {
                    // block_size: blocks become bytes in Prometheus, where namespaces of 512 and 4096 add up
                    put(nss.addObject().put("nsid", ns.nsid()).put("block_size", ns.store().blockSize()), c);
                }
            }
            put(e, sums);
            e.put("offload", sub.offload() == null ? "off" : "configured (" + service.control().provider().name() + ")");
            // The engine's own counters: I/O it executed never reaches the software counters above.
            JsonNode engine = sub.offload() == null ? null : live.liveState(sub.nqn());
            if (engine != null) {
                e.set("offload_live", engine);
            }
        }
        put(total, all);
        s.set("listeners", listeners());
        return s;
    }

    static final String[] COUNTERS = {"read_commands", "read_blocks", "write_commands", "write_blocks", "flush_commands", "error_commands"};

    static long[] counters(NamespaceCounters c) {
        return new long[] {c.readCommands.sum(), c.readBlocks.sum(), c.writeCommands.sum(), c.writeBlocks.sum(),
                c.flushCommands.sum(), c.errorCommands.sum()};
    }

    private static void put(ObjectNode o, long[] values) {
        for (int i = 0; i < COUNTERS.length; i++) {
            o.put(COUNTERS[i], values[i]);
        }
    }
}
