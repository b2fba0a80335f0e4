package io.nvmfoffload.ctl.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys the reader accepts, per object kind, named as the definitions of the shipped JSON Schema
 * ({@code $defs}). The reader refuses to read a key not declared here and reports undeclared keys in a
 * document as unknown; a test checks that the schema lists exactly these keys, so the schema cannot
 * drift from the code.
 */
public final class ConfigKeys {
    public static final String DOCUMENT = "document";
    public static final String HOST = "host";
    public static final String PORT = "port";
    public static final String SUBSYSTEM = "subsystem";
    public static final String NAMESPACE = "namespace";
    public static final String RAM_STORE = "ram_store";
    public static final String FILE_STORE = "file_store";
    public static final String BLOCK_STORE = "block_store";
    public static final String OFFLOAD = "offload";
    public static final String PROVIDER = "offload_provider";
    public static final String CAPABILITIES = "capabilities";
    public static final String LIMITS = "limits";

    private static final Map<String, List<String>> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put(DOCUMENT, List.of("$schema", "hosts", "ports", "subsystems", "offload_provider", "limits"));
        KEYS.put(HOST, List.of("nqn"));
        KEYS.put(PORT, List.of("id", "transport", "address", "service_id", "in_capsule_data_size", "subsystems"));
        KEYS.put(SUBSYSTEM, List.of("nqn", "serial", "model", "allow_any_host", "allowed_hosts", "namespaces", "offload"));
        KEYS.put(NAMESPACE, List.of("nsid", "store", "uuid", "nguid", "eui64"));
        KEYS.put(RAM_STORE, List.of("type", "size", "block_size"));
        KEYS.put(FILE_STORE, List.of("type", "path", "block_size", "create_size", "direct_io"));
        KEYS.put(BLOCK_STORE, List.of("type", "path", "block_size", "direct_io"));
        KEYS.put(OFFLOAD, List.of("enabled", "ops", "queue_depth", "staging_buffer_size", "max_io_size", "command_timeout_us"));
        KEYS.put(PROVIDER, List.of("name", "profile"));
        KEYS.put(LIMITS, List.of("max_controllers_per_subsystem", "max_controllers_per_host", "max_connections_per_port",
                "connect_timeout_ms", "pdu_timeout_ms", "data_buffer_pool_size"));
        KEYS.put(CAPABILITIES, List.of("rc_offload_types", "dc_offload_types", "max_backend_ctrls_total", "max_srq_backend_ctrls",
                "max_srq_namespaces", "min_staging_buf_size", "max_staging_buf_size", "max_io_size", "min_nvme_queue_depth",
                "max_nvme_queue_depth", "min_ioccsz", "max_ioccsz", "max_icdoff", "min_command_timeout_us",
                "max_command_timeout_us", "max_frontend_nsid", "passthrough_sqe_rw_service", "qp_last_nvme_cqe_reached"));
    }

    private ConfigKeys() {}

    public static Map<String, List<String>> all() {
        return Map.copyOf(KEYS);
    }

    static List<String> of(String kind) {
        List<String> keys = KEYS.get(kind);
        if (keys == null) {
            throw new IllegalStateException("no object kind " + kind);
        }
        return keys;
    }
}
