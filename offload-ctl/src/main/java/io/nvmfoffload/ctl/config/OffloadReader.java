package io.nvmfoffload.ctl.config;

import io.nvmfoffload.nvmf.SubsystemOffload;
import io.nvmfoffload.verbs.nvmf.OffloadOp;

import java.util.EnumSet;
import java.util.Locale;

/** Reads a subsystem's "offload" object; absent or {"enabled": false} means software only (null). */
final class OffloadReader {
    private OffloadReader() {}

    static OffloadConfig read(Fields f) {
        if (f == null) {
            return null;
        }
        Boolean enabled = f.bool("enabled", true);
        EnumSet<OffloadOp> ops = f.has("ops") ? EnumSet.noneOf(OffloadOp.class) : EnumSet.allOf(OffloadOp.class);
        f.eachAccepted("ops", (op, p) -> ops.add(OffloadOp.valueOf(op.textValue().toUpperCase(Locale.ROOT))));
        Long depth = f.integer("queue_depth", (long) SubsystemOffload.DEFAULT_QUEUE_DEPTH);
        Long staging = f.size("staging_buffer_size", SubsystemOffload.DEFAULT_STAGING_BUFFER);
        Long maxIo = f.size("max_io_size", SubsystemOffload.DEFAULT_MAX_IO_SIZE);
        Long timeout = f.integer("command_timeout_us", 0L);
        String onFailure = f.string("switch_failure", OffloadConfig.name(SubsystemOffload.SwitchFailure.FAIL_CONNECT));
        if (enabled == null || !enabled || f.refused("ops") || depth == null || staging == null || maxIo == null || timeout == null
                || onFailure == null || ops.isEmpty()) {
            return null;
        }
        return new OffloadConfig(ops, depth.intValue(), staging, maxIo, timeout,
                SubsystemOffload.SwitchFailure.valueOf(onFailure.toUpperCase(Locale.ROOT)));
    }
}
