package io.nvmfoffload.ctl.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The object commands (add a host, link a port, set a subsystem's offload, ...) as edits of the
 * running document. The edited document is validated whole and applied through a plan, so an object
 * command obeys the same rules as a file: removing a host still allowed somewhere, or a subsystem a
 * port still exposes, is refused with the pointer of the reference that would dangle, as nvmet
 * refuses it.
 */
public final class DocumentEdits {
    private DocumentEdits() {}

    public static UnaryOperator<ObjectNode> addHost(String nqn) {
        return doc -> {
            array(doc, "hosts").addObject().put("nqn", nqn);
            return doc;
        };
    }

    /** A host still allowed on a subsystem is in use: refused at that reference, naming the subsystem. */
    public static UnaryOperator<ObjectNode> removeHost(String nqn) {
        return doc -> {
            ArrayNode subsystems = array(doc, "subsystems");
            for (int i = 0; i < subsystems.size(); i++) {
                JsonNode allowed = subsystems.get(i).path("allowed_hosts");
                for (int j = 0; j < allowed.size(); j++) {
                    if (nqn.equals(allowed.get(j).asText())) {
                        String sub = subsystems.get(i).path("nqn").asText();
                        throw inUse("/subsystems/" + i + "/allowed_hosts/" + j, "host " + nqn + " is in use: subsystem " + sub
                                + " allows it; disallow it there first (offload-ctl subsystem disallow-host " + sub + " " + nqn + ")");
                    }
                }
            }
            remove(array(doc, "hosts"), h -> nqn.equals(h.path("nqn").asText()), "no host " + nqn);
            return doc;
        };
    }

    public static UnaryOperator<ObjectNode> addSubsystem(JsonNode subsystem) {
        return doc -> {
            array(doc, "subsystems").add(subsystem);
            return doc;
        };
    }

    /** A subsystem a port still exposes is in use: refused at that link, naming the port. */
    public static UnaryOperator<ObjectNode> removeSubsystem(String nqn) {
        return doc -> {
            ArrayNode ports = array(doc, "ports");
            for (int i = 0; i < ports.size(); i++) {
                JsonNode links = ports.get(i).path("subsystems");
                for (int j = 0; j < links.size(); j++) {
                    if (nqn.equals(links.get(j).asText())) {
                        int port = ports.get(i).path("id").asInt();
                        throw inUse("/ports/" + i + "/subsystems/" + j, "subsystem " + nqn + " is in use: port " + port
                                + " exposes it; unlink it there first (offload-ctl port unlink " + port + " " + nqn + ")");
                    }
                }
            }
            remove(array(doc, "subsystems"), s -> nqn.equals(s.path("nqn").asText()), "no subsystem " + nqn);
            return doc;
        };
    }

    public static UnaryOperator<ObjectNode> allowHost(String nqn, String host) {
        return doc -> {
            array(subsystem(doc, nqn), "allowed_hosts").add(host);
            return doc;
        };
    }

    public static UnaryOperator<ObjectNode> disallowHost(String nqn, String host) {
        return doc -> {
            remove(array(subsystem(doc, nqn), "allowed_hosts"), h -> host.equals(h.asText()), "host " + host + " is not allowed on " + nqn);
            return doc;
        };
    }

    public static UnaryOperator<ObjectNode> allowAnyHost(String nqn, boolean allow) {
        return doc -> {
            subsystem(doc, nqn).put("allow_any_host", allow);
            return doc;
        };
    }

    public static UnaryOperator<ObjectNode> addNamespace(String nqn, JsonNode namespace) {
        return doc -> {
            array(subsystem(doc, nqn), "namespaces").add(namespace);
            return doc;
        };
    }

    public static UnaryOperator<ObjectNode> removeNamespace(String nqn, int nsid) {
        return doc -> {
            remove(array(subsystem(doc, nqn), "namespaces"), n -> n.path("nsid").asInt() == nsid, nqn + " has no namespace " + nsid);
            return doc;
        };
    }

    public static UnaryOperator<ObjectNode> setOffload(String nqn, JsonNode offload) {
        return doc -> {
            subsystem(doc, nqn).set("offload", offload);
            return doc;
        };
    }

    public static UnaryOperator<ObjectNode> disableOffload(String nqn) {
        return doc -> {
            subsystem(doc, nqn).remove("offload");
            return doc;
        };
    }

    public static UnaryOperator<ObjectNode> addPort(JsonNode port) {
        return doc -> {
            array(doc, "ports").add(port);
            return doc;
        };
    }

    public static UnaryOperator<ObjectNode> removePort(int id) {
        return doc -> {
            remove(array(doc, "ports"), p -> p.path("id").asInt() == id, "no port " + id);
            return doc;
        };
    }

    public static UnaryOperator<ObjectNode> link(int id, String nqn) {
        return doc -> {
            array(port(doc, id), "subsystems").add(nqn);
            return doc;
        };
    }

    public static UnaryOperator<ObjectNode> unlink(int id, String nqn) {
        return doc -> {
            remove(array(port(doc, id), "subsystems"), s -> nqn.equals(s.asText()), "subsystem " + nqn + " is not exposed on port " + id);
            return doc;
        };
    }

    public static UnaryOperator<ObjectNode> setProvider(JsonNode provider) {
        return doc -> {
            doc.set("offload_provider", provider);
            return doc;
        };
    }

    private static InvalidConfigException inUse(String pointer, String message) {
        return new InvalidConfigException(List.of(new ConfigError(pointer, message)));
    }

    private static ObjectNode subsystem(ObjectNode doc, String nqn) {
        return find(array(doc, "subsystems"), s -> nqn.equals(s.path("nqn").asText()), "no subsystem " + nqn);
    }

    private static ObjectNode port(ObjectNode doc, int id) {
        return find(array(doc, "ports"), p -> p.path("id").asInt() == id, "no port " + id);
    }

    private static ArrayNode array(ObjectNode o, String key) {
        return o.has(key) ? (ArrayNode) o.get(key) : o.putArray(key);
    }

    private static ObjectNode find(ArrayNode a, Predicate<JsonNode> match, String missing) {
        for (JsonNode n : a) {
            if (match.test(n)) {
                return (ObjectNode) n;
            }
        }
        throw new IllegalArgumentException(missing);
    }

    private static void remove(ArrayNode a, Predicate<JsonNode> match, String missing) {
        for (int i = 0; i < a.size(); i++) {
            if (match.test(a.get(i))) {
                a.remove(i);
                return;
            }
        }
        throw new IllegalArgumentException(missing);
    }
}
