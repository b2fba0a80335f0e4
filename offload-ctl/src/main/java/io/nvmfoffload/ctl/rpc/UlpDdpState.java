package io.nvmfoffload.ctl.rpc;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nvmfoffload.nvmf.server.TargetServer;
import io.nvmfoffload.nvmf.transport.tcp.TcpTransport;
import io.nvmfoffload.nvmf.transport.tcp.ddp.UlpDdpCapability;
import io.nvmfoffload.nvmf.transport.tcp.ddp.UlpDdpDevice;
import io.nvmfoffload.nvmf.transport.tcp.ddp.UlpDdpLimits;

import java.util.List;
import java.util.Map;

/**
 * The ULP DDP receive offload of each NVMe/TCP listener, shaped like the kernel's {@code ulp_ddp}
 * netlink family: caps-get (hw, active), caps-set (wanted, wanted_mask), stats-get. A listener
 * stands where the kernel has a network device; the provider is always named.
 */
final class UlpDdpState {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    static final String NOTE = "a model in user space: placing means reading the socket straight into the command's buffer; "
            + "not hardware";

    private final TargetServer server;

    UlpDdpState(TargetServer server) {
        this.server = server;
    }

    /** caps-get (and stats-get with {@code statistics}) of every TCP listener, or of port {@code portId}. */
    ObjectNode show(Integer portId, boolean statistics) {
        ObjectNode r = F.objectNode().put("provider", UlpDdpDevice.PROVIDER).put("note", NOTE);
        ArrayNode devices = r.putArray("listeners");
        for (TcpTransport t : listeners(portId)) {
            devices.add(device(t, statistics));
        }
        return r;
    }

    /**
     * caps-set on every TCP listener (or port {@code portId}): a null switch leaves its bit out of
     * the mask. Sockets added afterwards take the new state; connected queues keep theirs.
     */
    ObjectNode set(Integer portId, Boolean nvmeTcp, Boolean ddgstRx) {
        int wanted = 0;
        int mask = 0;
        if (nvmeTcp != null) {
            mask |= UlpDdpCapability.NVME_TCP.bit();
            wanted |= nvmeTcp ? UlpDdpCapability.NVME_TCP.bit() : 0;
        }
        if (ddgstRx != null) {
            mask |= UlpDdpCapability.NVME_TCP_DDGST_RX.bit();
            wanted |= ddgstRx ? UlpDdpCapability.NVME_TCP_DDGST_RX.bit() : 0;
        }
        if (mask == 0) {
            throw new RpcException(RpcException.INVALID_PARAMS, "ulp_ddp.set: give nvme_tcp and/or nvme_tcp_ddgst_rx (true or false)");
        }
        for (TcpTransport t : listeners(portId)) {
            t.ddp().setCaps(wanted, mask);
        }
        ObjectNode r = show(portId, false);
        r.put("applies_to", "connections made from now on; connected hosts keep their state until they reconnect");
        return r;
    }

    private List<TcpTransport> listeners(Integer portId) {
        List<TcpTransport> all = server == null ? List.of() : server.tcpListeners();
        if (portId == null) {
            return all;
        }
        List<TcpTransport> one = all.stream().filter(t -> t.port().id() == portId).toList();
        if (one.isEmpty()) {
            throw new RpcException(RpcException.INVALID_PARAMS, "no NVMe/TCP listener on port " + portId
                    + " (listening TCP ports: " + all.stream().map(t -> t.port().id()).toList() + ")");
        }
        return one;
    }

    /** One listener's caps, limits and (with {@code statistics}) counters; status and stats carry it too. */
    static ObjectNode device(TcpTransport t, boolean statistics) {
        UlpDdpDevice d = t.ddp();
        ObjectNode o = F.objectNode().put("port", t.port().id()).put("name", d.name()).put("provider", d.provider())
                .put("profile", d.profile());
        names(o.putArray("hw"), d.hw());
        names(o.putArray("active"), d.active());
        UlpDdpLimits l = d.limits();
        o.putObject("limits").put("max_ddp_sgl_len", l.maxDdpSglLen()).put("io_threshold", l.ioThreshold())
                .put("full_ccid_range", l.fullCcidRange()).put("max_sockets", l.maxSockets());
        o.put("offloaded_sockets", d.offloadedSockets());
        if (statistics) {
            put(o.putObject("statistics"), d.statistics().kernelCounters());
            put(o.putObject("model_statistics"), d.statistics().modelCounters());
        }
        return o;
    }

    private static void names(ArrayNode a, int mask) {
        UlpDdpCapability.names(mask).forEach(a::add);
    }

    private static void put(ObjectNode o, Map<String, Long> counters) {
        counters.forEach(o::put);
    }
}
