package io.nvmfoffload.ctl.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Converts an nvmetcli save file (the JSON of nvmetcli's nvme.py: hosts, ports with addr/param/
 * subsystems, subsystems with attr/allowed_hosts/namespaces) into our document. What has no
 * counterpart here is left out and reported with its pointer in the nvmetcli file: referrals, ANA
 * groups other than the default, PI, cntlid ranges, queue limits, disabled namespaces, non-IPv4
 * addresses and transports other than tcp and rdma. The vendor's attr "offload" maps to an
 * offload object with default parameters and selects the emulated provider (reported as a note),
 * and its namespace file offload_cmd_tmo_us to the namespace's key of that name.
 */
public final class NvmetcliImporter {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** attr values nvmet has by default: they carry no information and are dropped silently. */
    private static final Map<String, String> SUBSYSTEM_DEFAULTS = Map.of("version", "1.3", "cntlid_min", "1", "cntlid_max", "65519",
            "pi_enable", "0");

    private final List<ConfigError> report = new ArrayList<>();
    private final ObjectNode out = F.objectNode();

    /** The converted document and what could not be mapped (pointers into the nvmetcli file). */
    public record Result(ObjectNode document, List<ConfigError> unmapped) {
    }

    private NvmetcliImporter() {}

    public static Result convert(JsonNode nvmetcli) {
        NvmetcliImporter i = new NvmetcliImporter();
        i.document(nvmetcli);
        return new Result(i.out, List.copyOf(i.report));
    }

    private void unmapped(String pointer, String why) {
        report.add(new ConfigError(pointer, why));
    }

    private void document(JsonNode in) {
        if (!in.isObject()) {
            unmapped("", "an nvmetcli file is a JSON object with hosts, ports and subsystems");
            return;
        }
        unknownKeys(in, "", Set.of("hosts", "ports", "subsystems"));
        out.put("$schema", ConfigWriter.SCHEMA_ID);
        ArrayNode hosts = out.putArray("hosts");
        for (int i = 0; i < in.path("hosts").size(); i++) {
            JsonNode h = in.path("hosts").get(i);
            unknownKeys(h, "/hosts/" + i, Set.of("nqn"));
            hosts.addObject().put("nqn", h.path("nqn").asText());
        }
        ArrayNode subsystems = out.putArray("subsystems");
        for (int i = 0; i < in.path("subsystems").size(); i++) {
            subsystems.add(subsystem(in.path("subsystems").get(i), "/subsystems/" + i));
        }
        ArrayNode ports = out.putArray("ports");
        for (int i = 0; i < in.path("ports").size(); i++) {
            ObjectNode p = port(in.path("ports").get(i), "/ports/" + i);
            if (p != null) {
                ports.add(p);
            }
        }
    }

    private ObjectNode subsystem(JsonNode s, String at) {
        unknownKeys(s, at, Set.of("nqn", "attr", "allowed_hosts", "namespaces"));
        ObjectNode o = F.objectNode().put("nqn", s.path("nqn").asText());
        JsonNode attr = s.path("attr");
        attr.fields().forEachRemaining(e -> {
            String key = e.getKey();
            String value = e.getValue().asText();
            switch (key) {
                case "serial" -> o.put("serial", value);
                case "model" -> o.put("model", value);
                case "allow_any_host" -> o.put("allow_any_host", "1".equals(value));
                case "offload" -> {
                    if ("1".equals(value)) {
                        o.putObject("offload").put("enabled", true);
                        out.putObject("offload_provider").put("name", ProviderConfig.EMULATED).put("profile", "connectx5-class");
                        unmapped(at + "/attr/offload", "note: offload is mapped with default parameters and the emulated provider "
                                + "(connectx5-class profile); set the provider your hardware needs");
                    }
                }
                default -> {
                    if (!value.equals(SUBSYSTEM_DEFAULTS.get(key))) {
                        unmapped(at + "/attr/" + key, "attr " + key + "=" + value + " has no counterpart here (the target reports NVMe 1.3, "
                                + "cntlids 1..65519, no PI, up to 64 I/O queues); left out");
                    }
                }
            }
        });
        ArrayNode allowed = o.putArray("allowed_hosts");
        s.path("allowed_hosts").forEach(h -> allowed.add(h.asText()));
        ArrayNode namespaces = o.putArray("namespaces");
        for (int i = 0; i < s.path("namespaces").size(); i++) {
            ObjectNode ns = namespace(s.path("namespaces").get(i), at + "/namespaces/" + i);
            if (ns != null) {
                namespaces.add(ns);
            }
        }
        return o;
    }

    private ObjectNode namespace(JsonNode n, String at) {
        unknownKeys(n, at, Set.of("nsid", "enable", "device", "ana_grpid", "offload_cmd_tmo_us"));
        if (n.has("enable") && n.path("enable").asInt() == 0) {
            unmapped(at + "/enable", "a disabled namespace has no counterpart (namespaces here are always enabled); left out");
            return null;
        }
        if (n.has("ana_grpid") && n.path("ana_grpid").asInt() != 1) {
            unmapped(at + "/ana_grpid", "ANA group " + n.path("ana_grpid").asInt() + ": ANA is not supported; the namespace is kept");
        }
        JsonNode dev = n.path("device");
        unknownKeys(dev, at + "/device", Set.of("path", "uuid", "nguid"));
        String path = dev.path("path").asText();
        ObjectNode o = F.objectNode().put("nsid", n.path("nsid").asInt());
        o.putObject("store").put("type", path.startsWith("/dev/") ? "block" : "file").put("path", path);
        if (dev.hasNonNull("uuid")) {
            o.put("uuid", dev.path("uuid").asText());
        }
        if (dev.hasNonNull("nguid") && !dev.path("nguid").asText().replace("0", "").replace("-", "").isEmpty()) {
            o.put("nguid", dev.path("nguid").asText());
        }
        // The vendor's nvmet has the file beside enable and ana_grpid, and saves it as they are saved.
        if (n.path("offload_cmd_tmo_us").asLong() > 0) {
            o.put("offload_cmd_tmo_us", n.path("offload_cmd_tmo_us").asLong());
        }
        return o;
    }

    private ObjectNode port(JsonNode p, String at) {
        unknownKeys(p, at, Set.of("portid", "addr", "param", "subsystems", "referrals", "ana_groups"));
        JsonNode addr = p.path("addr");
        unknownKeys(addr, at + "/addr", Set.of("trtype", "adrfam", "traddr", "trsvcid", "treq", "tsas"));
        String trtype = addr.path("trtype").asText();
        if (!trtype.equals("tcp") && !trtype.equals("rdma")) {
            unmapped(at + "/addr/trtype", "transport '" + trtype + "' is not served here (tcp or rdma); port left out");
            return null;
        }
        if (!addr.path("adrfam").asText("ipv4").equals("ipv4")) {
            unmapped(at + "/addr/adrfam", "address family '" + addr.path("adrfam").asText() + "': only ipv4 is served; port left out");
            return null;
        }
        String treq = addr.path("treq").asText("not specified");
        if (!treq.equals("not specified") && !treq.equals("not required")) {
            unmapped(at + "/addr/treq", "treq '" + treq + "': secure channels are not supported; left out");
        }
        if (p.path("referrals").size() > 0) {
            unmapped(at + "/referrals", "discovery referrals are not supported; left out");
        }
        if (p.path("ana_groups").size() > 1) {
            unmapped(at + "/ana_groups", "ANA groups are not supported; left out");
        }
        ObjectNode o = F.objectNode().put("id", p.path("portid").asInt()).put("transport", trtype).put("address", addr.path("traddr").asText());
        o.put("service_id", Integer.parseInt(addr.path("trsvcid").asText("4420")));
        p.path("param").fields().forEachRemaining(e -> {
            if (e.getKey().equals("inline_data_size")) {
                o.put("in_capsule_data_size", e.getValue().asInt());
            } else if (e.getKey().equals(PortConfig.PASSTHROUGH_SQE_RW) && trtype.equals("rdma")) {
                passthroughSqeRw(o, e.getValue().asText(), at + "/param/" + e.getKey());
            } else if (!(e.getKey().equals("pi_enable") && e.getValue().asText().equals("0"))) {
                unmapped(at + "/param/" + e.getKey(), "param " + e.getKey() + "=" + e.getValue().asText()
                        + " has no counterpart here (queue sizes are fixed: 1024 I/O, 32 admin entries); left out");
            }
        });
        ArrayNode links = o.putArray("subsystems");
        p.path("subsystems").forEach(s -> links.add(s.asText()));
        return o;
    }

    /**
     * The vendor's param_offload_passthrough_sqe_rw (its nvmetcli saves it without the prefix). Its
     * configfs takes 1 only on a device with passthrough_sqe_rw_service, so the emulated profile
     * gets that capability too.
     */
    private void passthroughSqeRw(ObjectNode port, String value, String at) {
        if (!"1".equals(value)) {
            return;
        }
        if (!out.has("offload_provider")) {
            unmapped(at, "offload_passthrough_sqe_rw=1 on a target that offloads no subsystem; left out");
            return;
        }
        port.put(PortConfig.PASSTHROUGH_SQE_RW, 1);
        out.putObject("offload_provider").put("name", ProviderConfig.EMULATED).putObject("profile").put("passthrough_sqe_rw_service", true);
        unmapped(at, "note: mapped; the emulated provider's profile is connectx5-class with passthrough_sqe_rw_service, "
                + "which the device it was set on had");
    }

    private void unknownKeys(JsonNode node, String at, Set<String> known) {
        node.fieldNames().forEachRemaining(k -> {
            if (!known.contains(k)) {
                unmapped(at + "/" + k, "unknown nvmetcli key '" + k + "'; left out");
            }
        });
    }
}
