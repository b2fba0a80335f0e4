package io.nvmfoffload.ctl.config;

import io.nvmfoffload.target.HostLimits;

import java.util.List;

/** Reads the document's "limits" object; a missing object or key takes {@link HostLimits#DEFAULTS}. */
final class LimitsReader {
    private LimitsReader() {}

    static HostLimits read(Fields document, List<ConfigError> errors) {
        HostLimits d = HostLimits.DEFAULTS;
        if (!document.has("limits")) {
            return d;
        }
        Fields f = Fields.of(document.raw("limits"), document.at("limits"), ConfigKeys.LIMITS, errors);
        if (f == null) {
            return null;
        }
        Long subsystem = f.integer("max_controllers_per_subsystem", false, (long) d.maxControllersPerSubsystem(), 1, 0xFFEF);
        Long host = f.integer("max_controllers_per_host", false, (long) d.maxControllersPerHost(), 1, 0xFFEF);
        Long connections = f.integer("max_connections_per_port", false, (long) d.maxConnectionsPerPort(), 1, 65_536);
        Long connect = f.integer("connect_timeout_ms", false, (long) d.connectTimeoutMillis(), 1, 3_600_000);
        Long pdu = f.integer("pdu_timeout_ms", false, (long) d.pduTimeoutMillis(), 1, 3_600_000);
        Long pool = f.size("data_buffer_pool_size", false, d.dataBufferPoolBytes(), 1L << 20, 1L << 40);
        if (subsystem == null || host == null || connections == null || connect == null || pdu == null || pool == null) {
            return null;
        }
        return new HostLimits(subsystem.intValue(), host.intValue(), connections.intValue(), connect.intValue(), pdu.intValue(), pool);
    }
}
