package io.nvmfoffload.ctl.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/** Reads one namespace object and its store. */
final class NamespaceReader {
    /** nvmet's fixed namespace limit per subsystem (Identify Controller NN), which {@code Subsystem} enforces too. */
    static final int MAX_NSID = 1024;
    static final long MAX_RAM_BYTES = 1L << 40;
    private static final Pattern UUID_FORM = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final List<ConfigError> errors;

    NamespaceReader(List<ConfigError> errors) {
        this.errors = errors;
    }

    NamespaceConfig read(JsonNode node, String p, String subsystemNqn) {
        Fields f = Fields.of(node, p, ConfigKeys.NAMESPACE, errors);
        if (f == null) {
            return null;
        }
        Long nsid = f.integer("nsid", true, null, 1, MAX_NSID);
        StoreConfig store = f.has("store") ? store(f.raw("store"), f.at("store"))
                : missingStore(f);
        String uuid = f.string("uuid", false, null);
        if (uuid != null && !UUID_FORM.matcher(uuid).matches()) {
            f.error("uuid", "'" + uuid + "' is not a UUID: expected 8-4-4-4-12 hex digits");
            uuid = null;
        }
        String nguid = hex(f, "nguid", 16);
        String eui64 = hex(f, "eui64", 8);
        if (nsid == null || store == null) {
            return null;
        }
        return new NamespaceConfig(nsid.intValue(), store,
                new NamespaceIds(uuid == null ? null : UUID.fromString(uuid).toString(), nguid, eui64));
    }

    private StoreConfig missingStore(Fields f) {
        f.error("store", "required key 'store' is missing from a namespace object; expected {\"type\": \"ram\"|\"file\"|\"block\", ...}");
        return null;
    }

    private String hex(Fields f, String key, int bytes) {
        String v = f.string(key, false, null);
        if (v == null) {
            return null;
        }
        String digits = v.replace("-", "").toLowerCase(Locale.ROOT);
        if (!digits.matches("[0-9a-f]{" + 2 * bytes + "}")) {
            f.error(key, "'" + v + "' is not " + bytes + " bytes of hex: expected " + 2 * bytes + " hex digits (dashes allowed)");
            return null;
        }
        return digits;
    }

    private StoreConfig store(JsonNode node, String p) {
        String type = node.isObject() && node.path("type").isTextual() ? node.get("type").textValue() : null;
        String kind = type == null ? null : switch (type) {
            case "ram" -> ConfigKeys.RAM_STORE;
            case "file" -> ConfigKeys.FILE_STORE;
            case "block" -> ConfigKeys.BLOCK_STORE;
            default -> null;
        };
        if (kind == null) {
            String found = node.isObject() ? Fields.describe(node.get("type")) : Fields.describe(node);
            errors.add(new ConfigError(node.isObject() ? Pointer.child(p, "type") : p,
                    "expected a store object with \"type\" \"ram\", \"file\" or \"block\", found " + found));
            return null;
        }
        Fields f = Fields.of(node, p, kind, errors);
        Long blockSize = f.integer("block_size", false, 4096L, 512, 4096);
        if (blockSize != null && blockSize != 512 && blockSize != 4096) {
            f.error("block_size", blockSize + " is not a supported block size: expected 512 or 4096");
            blockSize = null;
        }
        return switch (type) {
            case "ram" -> {
                Long size = f.size("size", true, null, 1, MAX_RAM_BYTES);
                yield blockSize == null || multiple(f, "size", size, blockSize) == null ? null
                        : new StoreConfig.Ram(size, blockSize.intValue());
            }
            case "file" -> {
                Path path = path(f);
                Long create = f.size("create_size", false, 0L, 0, Long.MAX_VALUE);
                Boolean direct = f.bool("direct_io", false);
                yield path == null || blockSize == null || multiple(f, "create_size", create, blockSize) == null || direct == null
                        ? null : new StoreConfig.File(path, blockSize.intValue(), create, direct);
            }
            default -> {
                Path path = path(f);
                Boolean direct = f.bool("direct_io", false);
                yield path == null || blockSize == null || direct == null ? null
                        : new StoreConfig.Block(path, blockSize.intValue(), direct);
            }
        };
    }

    private static Long multiple(Fields f, String key, Long size, long blockSize) {
        if (size != null && size % blockSize != 0) {
            f.error(key, size + " bytes is not a multiple of the " + blockSize + "-byte block size");
            return null;
        }
        return size;
    }

    private static Path path(Fields f) {
        String path = f.string("path", true, null);
        if (path != null && !path.startsWith("/")) {
            f.error("path", "'" + path + "' is relative: expected an absolute path, as the target may run in another directory");
            return null;
        }
        return path == null ? null : Path.of(path);
    }
}
