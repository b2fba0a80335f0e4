package io.nvmfoffload.ctl.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;

/** Reads one namespace object and its store; the schema has checked each value. */
final class NamespaceReader {
    private NamespaceReader() {}

    /** The namespace, or null when a value of it was refused (already reported). */
    static NamespaceConfig read(Fields f) {
        if (f == null) {
            return null;
        }
        Long nsid = f.integer("nsid", null);
        StoreConfig store = store(f);
        String uuid = f.string("uuid", null);
        String nguid = hex(f.string("nguid", null));
        String eui64 = hex(f.string("eui64", null));
        Long offloadTimeout = f.integer("offload_cmd_tmo_us", 0L);
        if (nsid == null || store == null || offloadTimeout == null) {
            return null;
        }
        return new NamespaceConfig(nsid.intValue(), store,
                new NamespaceIds(uuid == null ? null : UUID.fromString(uuid).toString(), nguid, eui64), offloadTimeout);
    }

    /** Lower-case hex digits without the dashes the document may group them with. */
    private static String hex(String v) {
        return v == null ? null : v.replace("-", "").toLowerCase(Locale.ROOT);
    }

    private static StoreConfig store(Fields namespace) {
        String type = namespace.has("store") && namespace.raw("store").path("type").isTextual()
                ? namespace.raw("store").get("type").textValue() : "";
        Fields f = switch (type) {
            case "ram", "file", "block" -> namespace.object("store", type + "_store");
            default -> null;
        };
        if (f == null || f.string("type", null) == null) {
            return null;
        }
        Long blockSize = f.integer("block_size", 4096L);
        return switch (type) {
            case "ram" -> {
                Long size = f.size("size", null);
                yield blockSize == null || multiple(f, "size", size, blockSize) == null ? null
                        : new StoreConfig.Ram(size, blockSize.intValue());
            }
            case "file" -> {
                String path = f.string("path", null);
                Long create = f.size("create_size", 0L);
                Boolean direct = f.bool("direct_io", false);
                yield path == null || blockSize == null || multiple(f, "create_size", create, blockSize) == null || direct == null
                        ? null : new StoreConfig.File(Path.of(path), blockSize.intValue(), create, direct);
            }
            default -> {
                String path = f.string("path", null);
                Boolean direct = f.bool("direct_io", false);
                yield path == null || blockSize == null || direct == null ? null
                        : new StoreConfig.Block(Path.of(path), blockSize.intValue(), direct);
            }
        };
    }

    /** A size and the block size are two keys: a rule between them is beyond the schema. */
    private static Long multiple(Fields f, String key, Long size, long blockSize) {
        if (size != null && size % blockSize != 0) {
            f.error(key, size + " bytes is not a multiple of the " + blockSize + "-byte block size");
            return null;
        }
        return size;
    }
}
