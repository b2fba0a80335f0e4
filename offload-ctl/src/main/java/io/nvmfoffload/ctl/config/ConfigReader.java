package io.nvmfoffload.ctl.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nvmfoffload.nvmf.HostLimits;
import io.nvmfoffload.nvmf.Nqn;
import io.nvmfoffload.nvmf.Port;
import io.nvmfoffload.nvmf.TransportOptions;
import io.nvmfoffload.nvmf.TransportType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Validates a configuration document and turns it into a {@link TargetConfig}. The shipped JSON
 * Schema ({@link ConfigSchema}) checks every value first; then come the checks no schema can state:
 * duplicates across the document (hosts, port ids, listen addresses, NQNs, nsids, namespace
 * identifiers), references (allowed hosts must be declared hosts, port links must name declared
 * subsystems), an NQN's length in bytes, a size given as a string against its bounds, a RAM store's
 * size against its block size, a none provider given a profile, and offload settings against the
 * provider's device profile. Every
 * error is collected with its JSON pointer; a document with any error yields none, so nothing is applied.
 */
public final class ConfigReader {
    static final ObjectMapper JSON = JsonSyntax.STRICT;

    private final List<ConfigError> errors = new ArrayList<>();
    /** Pointers of the values the schema validator refused: read as null, reported once. */
    private final NavigableSet<String> refused = new TreeSet<>();
    /** Where each declared entity sits in the document, for the cross-reference errors. */
    private final Map<String, String> hostAt = new HashMap<>();
    private final Map<String, String> subsystemAt = new HashMap<>();
    private final Map<Integer, String> portAt = new HashMap<>();

    private ConfigReader(List<ConfigError> schemaErrors) {
        errors.addAll(schemaErrors);
        schemaErrors.forEach(e -> refused.add(e.pointer()));
    }

    public static TargetConfig read(JsonNode document) {
        ConfigReader r = new ConfigReader(ConfigSchema.validate(document));
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
        Fields f = Fields.of(doc, "", "document", refused, errors);
        if (f == null) {
            return null;
        }
        List<String> hosts = hosts(f);
        ProviderConfig provider = new ProviderReader().read(f);
        List<SubsystemConfig> subsystems = new ArrayList<>();
        f.each("subsystems", (node, p) -> {
            SubsystemConfig s = subsystem(Fields.of(node, p, "subsystem", refused, errors));
            if (s != null) {
                subsystems.add(s);
            }
        });
        HostLimits limits = limits(f);
        List<PortConfig> ports = ports(f, limits);
        new NamespaceIdChecks(errors).check(subsystems, subsystemAt);
        if (provider != null) {
            new OffloadChecks(errors).check(provider, subsystems, ports, subsystemAt, portAt, f.at("offload_provider"));
        }
        return errors.isEmpty() ? new TargetConfig(hosts, ports, subsystems, provider, limits) : null;
    }

    private List<String> hosts(Fields doc) {
        List<String> hosts = new ArrayList<>();
        doc.each("hosts", (node, p) -> {
            Fields h = Fields.of(node, p, "host", refused, errors);
            String nqn = h == null ? null : nqn(h);
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

    /** The NQN when it fits nvmet's 223 bytes: the schema counts characters, UTF-8 may need more bytes. */
    private String nqn(Fields f) {
        String nqn = f.string("nqn", null);
        if (nqn != null && nqn.getBytes(StandardCharsets.UTF_8).length > Nqn.MAX_BYTES) {
            f.error("nqn", "'" + nqn + "' is " + nqn.getBytes(StandardCharsets.UTF_8).length + " bytes in UTF-8: expected at most "
                    + Nqn.MAX_BYTES + " bytes (recommended form: " + Nqn.RECOMMENDED_FORM + ")");
            return null;
        }
        return nqn;
    }

    private SubsystemConfig subsystem(Fields f) {
        if (f == null) {
            return null;
        }
        String nqn = subsystemNqn(f);
        String serial = f.string("serial", nqn == null ? null : defaultSerial(nqn));
        String model = f.string("model", "nvmf-offload");
        Boolean any = f.bool("allow_any_host", false);
        Set<String> allowed = new LinkedHashSet<>();
        f.eachAccepted("allowed_hosts", (h, hp) -> {
            if (!hostAt.containsKey(h.textValue())) {
                errors.add(new ConfigError(hp, "host " + h.textValue() + " is not declared; expected one of the NQNs in /hosts "
                        + new TreeSet<>(hostAt.keySet())));
            } else {
                allowed.add(h.textValue());
            }
        });
        List<NamespaceConfig> namespaces = new ArrayList<>();
        Map<Integer, String> nsidAt = new HashMap<>();
        f.each("namespaces", (n, np) -> {
            NamespaceConfig ns = NamespaceReader.read(Fields.of(n, np, "namespace", refused, errors));
            if (ns != null) {
                String first = nsidAt.putIfAbsent(ns.nsid(), np);
                if (first != null) {
                    errors.add(new ConfigError(Pointer.child(np, "nsid"), "duplicate nsid " + ns.nsid() + ": already used at " + first));
                } else {
                    namespaces.add(ns);
                }
            }
        });
        OffloadConfig offload = OffloadReader.read(f.object("offload", "offload"));
        if (nqn == null || serial == null || model == null || any == null) {
            return null;
        }
        return new SubsystemConfig(nqn, serial, model, any, List.copyOf(allowed), namespaces, offload);
    }

    /** The subsystem's NQN when valid and not declared before; null (reported) otherwise. */
    private String subsystemNqn(Fields f) {
        String nqn = nqn(f);
        if (nqn != null) {
            String first = subsystemAt.putIfAbsent(nqn, f.pointer());
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

    private List<PortConfig> ports(Fields doc, HostLimits limits) {
        List<PortConfig> ports = new ArrayList<>();
        Map<Long, String> idAt = new HashMap<>();
        Map<String, String> listenAt = new HashMap<>();
        doc.each("ports", (node, p) -> {
            PortConfig port = port(Fields.of(node, p, "port", refused, errors), limits);
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
                portAt.put(port.id(), p);
            }
        });
        return ports;
    }

    /** A port; its max_io_size a power of two the data buffer pool holds (not checked when {@code limits} was refused). */
    private PortConfig port(Fields f, HostLimits limits) {
        if (f == null) {
            return null;
        }
        Long id = f.integer("id", null);
        String transport = f.string("transport", null);
        String address = f.string("address", null);
        Long service = f.integer("service_id", (long) Port.DEFAULT_SERVICE_ID);
        Long icds = f.size("in_capsule_data_size", (long) Port.DEFAULT_IN_CAPSULE_DATA_SIZE);
        Long maxIo = f.size("max_io_size", (long) Port.DEFAULT_MAX_IO_SIZE);
        if (maxIo != null && Long.bitCount(maxIo) != 1) {
            f.error("max_io_size", maxIo + " bytes is not a power of two: expected 8KiB, 16KiB, ... 1MiB, 2MiB, 4MiB or 8MiB");
            maxIo = null;
        } else if (maxIo != null && limits != null && maxIo > limits.dataBufferPoolBytes()) {
            f.error("max_io_size", maxIo + " bytes is more than the whole data buffer pool (/limits/data_buffer_pool_size, "
                    + limits.dataBufferPoolBytes() + " bytes): expected at most that");
            maxIo = null;
        }
        Set<String> links = new LinkedHashSet<>();
        f.eachAccepted("subsystems", (s, sp) -> {
            if (!subsystemAt.containsKey(s.textValue())) {
                errors.add(new ConfigError(sp, "subsystem " + s.textValue() + " is not declared in /subsystems; expected one of "
                        + new TreeSet<>(subsystemAt.keySet())));
            } else {
                links.add(s.textValue());
            }
        });
        TransportOptions options = transport == null ? null : PortOptions.read(f, TransportType.parse(transport));
        Long passthrough = f.integer(PortConfig.PASSTHROUGH_SQE_RW, 0L);
        if (id == null || transport == null || address == null || service == null || icds == null || maxIo == null
                || options == null || passthrough == null) {
            return null;
        }
        return new PortConfig(id.intValue(), TransportType.parse(transport), address, service.intValue(), icds.intValue(),
                maxIo.intValue(), List.copyOf(links), options, passthrough == 1);
    }

    /** The document's "limits"; a missing object or key takes {@link HostLimits#DEFAULTS}. */
    private static HostLimits limits(Fields document) {
        HostLimits d = HostLimits.DEFAULTS;
        if (!document.has("limits")) {
            return d;
        }
        Fields f = document.object("limits", "limits");
        if (f == null) {
            return null;
        }
        Long subsystem = f.integer("max_controllers_per_subsystem", (long) d.maxControllersPerSubsystem());
        Long host = f.integer("max_controllers_per_host", (long) d.maxControllersPerHost());
        Long connections = f.integer("max_connections_per_port", (long) d.maxConnectionsPerPort());
        Long connect = f.integer("connect_timeout_ms", (long) d.connectTimeoutMillis());
        Long pdu = f.integer("pdu_timeout_ms", (long) d.pduTimeoutMillis());
        Long pool = f.size("data_buffer_pool_size", d.dataBufferPoolBytes());
        if (subsystem == null || host == null || connections == null || connect == null || pdu == null || pool == null) {
            return null;
        }
        return new HostLimits(subsystem.intValue(), host.intValue(), connections.intValue(), connect.intValue(), pdu.intValue(), pool);
    }
}
