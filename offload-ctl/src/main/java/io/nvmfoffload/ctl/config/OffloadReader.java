package io.nvmfoffload.ctl.config;

import io.nvmfoffload.target.SubsystemOffload;
import io.nvmfoffload.verbs.nvmf.OffloadOp;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/** Reads a subsystem's "offload" object; absent or {"enabled": false} means software only (null). */
final class OffloadReader {
    private final List<ConfigError> errors;

    OffloadReader(List<ConfigError> errors) {
        this.errors = errors;
    }

    OffloadConfig read(Fields subsystem) {
        if (!subsystem.has("offload")) {
            return null;
        }
        Fields f = Fields.of(subsystem.raw("offload"), subsystem.at("offload"), ConfigKeys.OFFLOAD, errors);
        if (f == null) {
            return null;
        }
        Boolean enabled = f.bool("enabled", true);
        EnumSet<OffloadOp> ops = EnumSet.noneOf(OffloadOp.class);
        if (f.has("ops")) {
            f.each("ops", (op, p) -> {
                OffloadOp parsed = op.isTextual() ? parse(op.textValue()) : null;
                if (parsed == null) {
                    errors.add(new ConfigError(p, "expected one of \"read\", \"write\", \"flush\", found " + Fields.describe(op)));
                } else if (!ops.add(parsed)) {
                    errors.add(new ConfigError(p, "op \"" + op.textValue() + "\" is listed twice"));
                }
            });
            if (ops.isEmpty() && f.raw("ops").isArray()) {
                f.error("ops", "no ops: expected at least one of \"read\", \"write\", \"flush\" (or \"enabled\": false)");
            }
        } else {
            ops.addAll(EnumSet.allOf(OffloadOp.class));
        }
        Long depth = f.integer("queue_depth", false, (long) SubsystemOffload.DEFAULT_QUEUE_DEPTH, 1, 65536);
        Long staging = f.size("staging_buffer_size", false, SubsystemOffload.DEFAULT_STAGING_BUFFER, 1, 1L << 40);
        Long maxIo = f.size("max_io_size", false, SubsystemOffload.DEFAULT_MAX_IO_SIZE, 1, 1L << 30);
        Long timeout = f.integer("command_timeout_us", false, 0L, 0, Long.MAX_VALUE);
        if (enabled == null || !enabled || depth == null || staging == null || maxIo == null || timeout == null || ops.isEmpty()) {
            return null;
        }
        return new OffloadConfig(ops, depth.intValue(), staging, maxIo, timeout);
    }

    private static OffloadOp parse(String text) {
        for (OffloadOp op : OffloadOp.values()) {
            if (op.name().toLowerCase(Locale.ROOT).equals(text)) {
                return op;
            }
        }
        return null;
    }
}
