package io.nvmfoffload.ctl.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nvmfoffload.target.Nqn;
import io.nvmfoffload.target.Port;
import io.nvmfoffload.target.TransportType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates a configuration document and turns it into a {@link TargetConfig}. Every error is
 * collected with its JSON pointer; a document with any error yields none, so nothing is applied.
 * Checks: types, ranges and unknown keys of every object; duplicates (hosts, port ids, listen
 * addresses, NQNs, nsids, namespace identifiers); references (allowed hosts must be declared hosts,
 * port links must name declared subsystems); offload settings against the provider's device profile.
 */
public final class ConfigReader {
    static final ObjectMapper JSON = JsonSyntax.STRICT;
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    private final List<ConfigError> errors = new ArrayList<>();
    /** Where each declared entity sits in the document, for the cross-reference errors. */
    private final Map<String, String> hostAt = new HashMap<>();
    private final Map<String, String> subsystemAt = new HashMap<>();

    private ConfigReader() {}

    public static TargetConfig read(JsonNode document) {
        ConfigReader r = new ConfigReader();
        TargetConfig config = r.document(document);
        if (!r.errors.isEmpty()) {
            throw new InvalidConfigException(r.errors);
        }
        return config;
    }

    public static TargetConfig read(String json) {
        return read(parse(json));
    }

    public static TargetConfig read(Path file) {
        return read(parse(file));
    }

    /** Parses JSON text; a repeated key is refused at its pointer, a syntax error with its line and column. */
    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidConfigException(List.of(JsonSyntax.error(e)));
        }
    }

    public static JsonNode parse(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read configuration " + file + ": " + IoErrors.reason(e, file), e);
        }
    }

    private TargetConfig document(JsonNode doc) {
        Fields f = Fields.of(doc, "", ConfigKeys.DOCUMENT, errors);
        if (f == null) {
            return null;
        }
        f.string("$schema", false, null);
        List<String> hosts = hosts(f);
        ProviderConfig provider = new ProviderReader(errors).read(f);
        List<SubsystemConfig> subsystems = new ArrayList<>();
        f.each("subsystems", (node, p) -> {
            SubsystemConfig s = subsystem(node, p);
            if (s != null) {
                subsystems.add(s);
            }
        });
        List<PortConfig> ports = ports(f);
        new NamespaceIdChecks(errors).check(subsystems, subsystemAt);
        if (provider != null) {
            new OffloadChecks(errors).check(provider, subsystems, ports, subsystemAt, f.at("offload_provider"));
        }
        io.nvmfoffload.target.HostLimits limits = LimitsReader.read(f, errors);
        return errors.isEmpty() ? new TargetConfig(hosts, ports, subsystems, provider, limits) : null;
    }

    private List<String> hosts(Fields doc) {
        List<String> hosts = new ArrayList<>();
        doc.each("hosts", (node, p) -> {
            Fields h = Fields.of(node, p, ConfigKeys.HOST, errors);
            String nqn = h == null ? null : nqn(h, "host");
            if (nqn != null) {
                String first = hostAt.putIfAbsent(nqn, p);
                if (first != null) {
                    h.error("nqn", "duplicate host " + nqn + ": already declared at " + first);
                } else {
                    hosts.add(nqn);
                }
            }
        });
        return hosts;
    }

    private String nqn(Fields f, String what) {
        String nqn = f.string("nqn", true, null);
        if (nqn == null) {
            return null;
        }
        try {
            return Nqn.require(nqn, what);
        } catch (IllegalArgumentException e) {
            f.error("nqn", e.getMessage() + "; an NQN has 1 to " + Nqn.MAX_BYTES + " bytes (recommended form: "
                    + Nqn.RECOMMENDED_FORM + ")");
            return null;
        }
    }

    private SubsystemConfig subsystem(JsonNode node, String p) {
        Fields f = Fields.of(node, p, ConfigKeys.SUBSYSTEM, errors);
        if (f == null) {
            return null;
        }
        String nqn = subsystemNqn(f, p);
        String serial = printable(f, "serial", 20, nqn == null ? null : defaultSerial(nqn));
        String model = printable(f, "model", 40, "nvmf-offload");
        Boolean any = f.bool("allow_any_host", false);
        List<String> allowed = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        f.each("allowed_hosts", (h, hp) -> {
            if (!h.isTextual()) {
                errors.add(new ConfigError(hp, "expected a host NQN string, found " + Fields.describe(h)));
            } else if (!hostAt.containsKey(h.textValue())) {
                errors.add(new ConfigError(hp, "host " + h.textValue() + " is not declared; expected one of the NQNs in /hosts "
                        + new java.util.TreeSet<>(hostAt.keySet())));
            } else if (!seen.add(h.textValue())) {
                errors.add(new ConfigError(hp, "host " + h.textValue() + " is listed twice"));
            } else {
                allowed.add(h.textValue());
            }
        });
        List<NamespaceConfig> namespaces = new ArrayList<>();
        Map<Integer, String> nsidAt = new HashMap<>();
        NamespaceReader nsReader = new NamespaceReader(errors);
        f.each("namespaces", (n, np) -> {
            NamespaceConfig ns = nsReader.read(n, np, nqn);
            if (ns != null) {
                String first = nsidAt.putIfAbsent(ns.nsid(), np);
                if (first != null) {
                    errors.add(new ConfigError(Pointer.child(np, "nsid"), "duplicate nsid " + ns.nsid() + ": already used at " + first));
                } else {
                    namespaces.add(ns);
                }
            }
        });
        OffloadConfig offload = new OffloadReader(errors).read(f);
        if (nqn == null || serial == null || model == null || any == null) {
            return null;
        }
        return new SubsystemConfig(nqn, serial, model, any, allowed, namespaces, offload);
    }

    /** The subsystem's NQN when valid and not declared before; null (reported) otherwise. */
    private String subsystemNqn(Fields f, String p) {
        String nqn = nqn(f, "subsystem");
        if (Nqn.DISCOVERY.equals(nqn)) {
            f.error("nqn", nqn + " is the discovery subsystem, which the target provides itself; expected another NQN");
            return null;
        }
        if (nqn != null) {
            String first = subsystemAt.putIfAbsent(nqn, p);
            if (first != null) {
                f.error("nqn", "duplicate subsystem " + nqn + ": already declared at " + first);
                return null;
            }
        }
        return nqn;
    }

    /** A serial that stays the same for the same NQN, as hosts may key multipath on it. */
    static String defaultSerial(String nqn) {
        return String.format("%016x", (long) nqn.hashCode() * 0x9E3779B97F4A7C15L).substring(0, 16);
    }

    private String printable(Fields f, String key, int max, String def) {
        String v = f.string(key, false, def);
        if (v != null && (v.isEmpty() || v.length() > max || !v.chars().allMatch(c -> c >= 0x20 && c < 0x7F))) {
            f.error(key, "'" + v + "' is not valid: expected 1 to " + max + " printable ASCII characters");
            return null;
        }
        return v;
    }

    private List<PortConfig> ports(Fields doc) {
        List<PortConfig> ports = new ArrayList<>();
        Map<Long, String> idAt = new HashMap<>();
        Map<String, String> listenAt = new HashMap<>();
        doc.each("ports", (node, p) -> {
            PortConfig port = port(node, p);
            if (port == null) {
                return;
            }
            String first = idAt.putIfAbsent((long) port.id(), p);
            String listen = port.transport().id() + " " + port.address() + ":" + port.serviceId();
            String sameListen = listenAt.putIfAbsent(listen, p);
            if (first != null) {
                errors.add(new ConfigError(Pointer.child(p, "id"), "duplicate port id " + port.id() + ": already used at " + first));
            } else if (sameListen != null) {
                errors.add(new ConfigError(Pointer.child(p, "service_id"), "the port at " + sameListen + " already listens on "
                        + listen + "; expected a different address or service id"));
            } else {
                ports.add(port);
            }
        });
        return ports;
    }

    private PortConfig port(JsonNode node, String p) {
        Fields f = Fields.of(node, p, ConfigKeys.PORT, errors);
        if (f == null) {
            return null;
        }
        Long id = f.integer("id", true, null, 1, 0xFFFF);
        TransportType transport = null;
        String t = f.string("transport", true, null);
        if (t != null) {
            try {
                transport = TransportType.parse(t);
            } catch (IllegalArgumentException e) {
                f.error("transport", "'" + t + "' is not a transport: expected \"tcp\" or \"rdma\"");
            }
        }
        String address = f.string("address", true, null);
        if (address != null && !IPV4.matcher(address).matches()) {
            f.error("address", "'" + address + "' is not an IPv4 address: expected dotted decimal such as 192.168.1.10");
            address = null;
        }
        Long service = f.integer("service_id", false, (long) Port.DEFAULT_SERVICE_ID, 1, 0xFFFF);
        Long icds = f.size("in_capsule_data_size", false, (long) Port.DEFAULT_IN_CAPSULE_DATA_SIZE, 0, 1 << 20);
        if (icds != null && icds % 16 != 0) {
            f.error("in_capsule_data_size", icds + " is not a multiple of 16 bytes (IOCCSZ counts 16-byte units)");
            icds = null;
        }
        List<String> links = new ArrayList<>();
        f.each("subsystems", (s, sp) -> {
            if (!s.isTextual()) {
                errors.add(new ConfigError(sp, "expected a subsystem NQN string, found " + Fields.describe(s)));
            } else if (!subsystemAt.containsKey(s.textValue())) {
                errors.add(new ConfigError(sp, "subsystem " + s.textValue() + " is not declared in /subsystems; expected one of "
                        + new java.util.TreeSet<>(subsystemAt.keySet())));
            } else if (links.contains(s.textValue())) {
                errors.add(new ConfigError(sp, "subsystem " + s.textValue() + " is linked twice to this port"));
            } else {
                links.add(s.textValue());
            }
        });
        if (id == null || transport == null || address == null || service == null || icds == null) {
            return null;
        }
        return new PortConfig(id.intValue(), transport, address, service.intValue(), icds.intValue(), links);
    }
}
