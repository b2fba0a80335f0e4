package io.nvmfoffload.ctl.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nvmfoffload.ctl.config.ConfigReader;
import io.nvmfoffload.ctl.config.ConfigService;
import io.nvmfoffload.ctl.config.DocumentEdits;
import io.nvmfoffload.ctl.config.NvmetcliImporter;
import io.nvmfoffload.ctl.config.Plan;

import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Every management operation as a JSON-RPC method; the CLI's commands call exactly these. Object
 * methods (host.add, port.link, offload.set, ...) are edits of the running document applied
 * through the same plan steps as a whole file, and return the steps they executed.
 */
public final class RpcMethods {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private RpcMethods() {}

    public static RpcDispatcher dispatcher(ConfigService service, TargetStatus status, EventLog events) {
        RpcDispatcher d = new RpcDispatcher();
        d.register("rpc_get_methods", p -> {
            ArrayNode a = F.arrayNode();
            d.names().forEach(a::add);
            return a;
        });
        d.register("status", p -> status.status());
        d.register("stats", p -> status.stats(p.bool("include_statistics", false)));
        d.register("devices", p -> DeviceInfo.devices());
        d.register("caps", p -> DeviceInfo.caps(p.has("device") ? p.string("device") : null, p.has("profile") ? p.string("profile") : null));
        d.register("config.get", p -> service.currentDocument());
        d.register("config.validate", p -> {
            ConfigReader.read(p.object("config"));
            return F.objectNode().put("valid", true);
        });
        d.register("config.plan", p -> planResult(service.plan(p.object("config")), false));
        d.register("config.apply", p -> planResult(service.apply(p.object("config"), p.progress("apply")), true));
        d.register("config.clear", p -> planResult(service.clear(p.progress("clear")), true));
        d.register("config.import_nvmetcli", p -> {
            NvmetcliImporter.Result r = NvmetcliImporter.convert(p.object("nvmetcli"));
            ObjectNode out = F.objectNode();
            out.set("config", r.document());
            ArrayNode unmapped = out.putArray("unmapped");
            r.unmapped().forEach(e -> unmapped.addObject().put("pointer", e.pointer()).put("message", e.message()));
            return out;
        });
        d.register("events.poll", p -> events.since(p.integer("after", 0), (int) p.integer("max", 1000),
                Math.min(p.integer("timeout_ms", 0), 60_000)));

        d.register("host.list", p -> service.currentDocument().path("hosts"));
        edit(d, service, "host.add", p -> DocumentEdits.addHost(p.string("nqn")));
        edit(d, service, "host.remove", p -> DocumentEdits.removeHost(p.string("nqn")));

        d.register("subsystem.list", p -> service.currentDocument().path("subsystems"));
        edit(d, service, "subsystem.add", p -> DocumentEdits.addSubsystem(p.object("subsystem")));
        edit(d, service, "subsystem.remove", p -> DocumentEdits.removeSubsystem(p.string("nqn")));
        edit(d, service, "subsystem.allow_host", p -> DocumentEdits.allowHost(p.string("nqn"), p.string("host")));
        edit(d, service, "subsystem.disallow_host", p -> DocumentEdits.disallowHost(p.string("nqn"), p.string("host")));
        edit(d, service, "subsystem.set_allow_any_host", p -> DocumentEdits.allowAnyHost(p.string("nqn"), p.bool("allow", true)));

        d.register("namespace.list", p -> namespaces(service, p.has("nqn") ? p.string("nqn") : null));
        edit(d, service, "namespace.add", p -> DocumentEdits.addNamespace(p.string("nqn"), p.object("namespace")));
        edit(d, service, "namespace.remove", p -> DocumentEdits.removeNamespace(p.string("nqn"), p.integer("nsid")));

        d.register("port.list", p -> service.currentDocument().path("ports"));
        edit(d, service, "port.add", p -> DocumentEdits.addPort(p.object("port")));
        edit(d, service, "port.remove", p -> DocumentEdits.removePort(p.integer("id")));
        edit(d, service, "port.link", p -> DocumentEdits.link(p.integer("id"), p.string("nqn")));
        edit(d, service, "port.unlink", p -> DocumentEdits.unlink(p.integer("id"), p.string("nqn")));

        UlpDdpState ddp = new UlpDdpState(status.server());
        d.register("ulp_ddp.show", p -> ddp.show(p.has("port") ? p.integer("port") : null, p.bool("include_statistics", false)));
        d.register("ulp_ddp.set", p -> ddp.set(p.has("port") ? p.integer("port") : null,
                p.has("nvme_tcp") ? p.bool("nvme_tcp", true) : null, p.has("nvme_tcp_ddgst_rx") ? p.bool("nvme_tcp_ddgst_rx", true) : null));

        d.register("offload.show", p -> status.offload(p.has("nqn") ? p.string("nqn") : null));
        d.register("offload.recover", p -> status.recoverOffload(p.string("nqn"), p.has("port") ? p.integer("port") : null));
        edit(d, service, "offload.set", p -> DocumentEdits.setOffload(p.string("nqn"), p.object("offload")));
        edit(d, service, "offload.disable", p -> DocumentEdits.disableOffload(p.string("nqn")));
        edit(d, service, "offload.set_provider", p -> DocumentEdits.setProvider(p.object("provider")));
        return d;
    }

    private static void edit(RpcDispatcher d, ConfigService service, String name, Function<Params, UnaryOperator<ObjectNode>> edit) {
        d.register(name, p -> planResult(service.edit(edit.apply(p)), true));
    }

    private static ObjectNode planResult(Plan plan, boolean applied) {
        ObjectNode r = F.objectNode().put("applied", applied && !plan.isEmpty()).put("changes", plan.steps().size());
        r.set("steps", plan.toJson());
        return r;
    }

    private static ArrayNode namespaces(ConfigService service, String nqn) {
        ArrayNode out = F.arrayNode();
        boolean found = nqn == null;
        for (JsonNode s : service.currentDocument().path("subsystems")) {
            if (nqn != null && !nqn.equals(s.path("nqn").asText())) {
                continue;
            }
            found = true;
            for (JsonNode ns : s.path("namespaces")) {
                ObjectNode e = out.addObject().put("subsystem", s.path("nqn").asText());
                e.setAll((ObjectNode) ns);
            }
        }
        if (!found) {
            throw new IllegalArgumentException("no subsystem " + nqn);
        }
        return out;
    }
}
