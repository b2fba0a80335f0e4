package io.nvmfoffload.ctl.config;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nvmfoffload.nvmf.TransportType;
import io.nvmfoffload.verbs.nvmf.OffloadOp;

import java.util.Locale;

/** Writes a {@link TargetConfig} as the document {@link ConfigReader} reads: read(write(c)) equals c. */
public final class ConfigWriter {
    public static final String SCHEMA_ID = "urn:nvmf-offload:offload-ctl-config:1";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ConfigWriter() {}

    public static ObjectNode toJson(TargetConfig c) {
        ObjectNode doc = F.objectNode();
        doc.put("$schema", SCHEMA_ID);
        doc.set("offload_provider", provider(c.offloadProvider()));
        ArrayNode hosts = doc.putArray("hosts");
        c.hosts().forEach(h -> hosts.addObject().put("nqn", h));
        ArrayNode subsystems = doc.putArray("subsystems");
        c.subsystems().forEach(s -> subsystems.add(subsystem(s)));
        ArrayNode ports = doc.putArray("ports");
        c.ports().forEach(p -> ports.add(port(p)));
        doc.set("limits", limits(c.limits()));
        return doc;
    }

    /** Every bound, defaults included, so that a saved document says what the target enforces. */
    static ObjectNode limits(io.nvmfoffload.nvmf.HostLimits l) {
        return F.objectNode()
                .put("max_controllers_per_subsystem", l.maxControllersPerSubsystem())
                .put("max_controllers_per_host", l.maxControllersPerHost())
                .put("max_connections_per_port", l.maxConnectionsPerPort())
                .put("connect_timeout_ms", l.connectTimeoutMillis())
                .put("pdu_timeout_ms", l.pduTimeoutMillis())
                .put("data_buffer_pool_size", l.dataBufferPoolBytes());
    }

    static ObjectNode provider(ProviderConfig p) {
        ObjectNode o = F.objectNode().put("name", p.name());
        if (p.profile() != null) {
            if (ProviderReader.CUSTOM_PROFILE.equals(p.profile().name())) {
                o.set("profile", Capabilities.toJson(p.profile().capabilities()));
            } else {
                o.put("profile", p.profile().name());
            }
        }
        return o;
    }

    /** NvmfCapabilities with the document's snake_case keys. */
    public static ObjectNode capabilities(io.nvmfoffload.verbs.nvmf.NvmfCapabilities caps) {
        return Capabilities.toJson(caps);
    }

    static ObjectNode subsystem(SubsystemConfig s) {
        ObjectNode o = F.objectNode().put("nqn", s.nqn()).put("serial", s.serial()).put("model", s.model())
                .put("allow_any_host", s.allowAnyHost());
        ArrayNode hosts = o.putArray("allowed_hosts");
        s.allowedHosts().forEach(hosts::add);
        ArrayNode namespaces = o.putArray("namespaces");
        s.namespaces().forEach(ns -> namespaces.add(namespace(ns)));
        if (s.offload() != null) {
            o.set("offload", offload(s.offload()));
        }
        return o;
    }

    /** A subsystem's "offload" object as the document writes it. */
    public static ObjectNode offload(OffloadConfig off) {
        ObjectNode o = F.objectNode().put("enabled", true);
        ArrayNode ops = o.putArray("ops");
        for (OffloadOp op : new OffloadOp[] {OffloadOp.READ, OffloadOp.WRITE, OffloadOp.FLUSH}) {
            if (off.ops().contains(op)) {
                ops.add(op.name().toLowerCase(Locale.ROOT));
            }
        }
        return o.put("queue_depth", off.queueDepth()).put("staging_buffer_size", off.stagingBufferBytes())
                .put("max_io_size", off.maxIoSize()).put("command_timeout_us", off.commandTimeoutUs())
                .put("switch_failure", OffloadConfig.name(off.onSwitchFailure()));
    }

    static ObjectNode namespace(NamespaceConfig ns) {
        ObjectNode o = F.objectNode().put("nsid", ns.nsid());
        ObjectNode store = o.putObject("store").put("type", ns.store().type());
        switch (ns.store()) {
            case StoreConfig.Ram r -> store.put("size", r.sizeBytes());
            case StoreConfig.File f -> {
                store.put("path", f.path().toString());
                if (f.createBytes() > 0) {
                    store.put("create_size", f.createBytes());
                }
                store.put("direct_io", f.directIo());
            }
            case StoreConfig.Block b -> store.put("path", b.path().toString()).put("direct_io", b.directIo());
        }
        store.put("block_size", ns.store().blockSize());
        if (ns.ids().uuid() != null) {
            o.put("uuid", ns.ids().uuid());
        }
        if (ns.ids().nguid() != null) {
            o.put("nguid", ns.ids().nguid());
        }
        if (ns.ids().eui64() != null) {
            o.put("eui64", ns.ids().eui64());
        }
        if (ns.offloadCommandTimeoutUs() != 0) {
            o.put("offload_cmd_tmo_us", ns.offloadCommandTimeoutUs());
        }
        return o;
    }

    static ObjectNode port(PortConfig p) {
        ObjectNode o = F.objectNode().put("id", p.id()).put("transport", p.transport().id()).put("address", p.address())
                .put("service_id", p.serviceId()).put("in_capsule_data_size", p.inCapsuleDataSize()).put("max_io_size", p.maxIoSize());
        if (p.transport() == TransportType.RDMA) {
            o.put(PortConfig.PASSTHROUGH_SQE_RW, p.offloadPassthroughSqeRw() ? 1 : 0);
        }
        ArrayNode links = o.putArray("subsystems");
        p.subsystems().forEach(links::add);
        PortOptions.write(o, p.options());
        return o;
    }
}
