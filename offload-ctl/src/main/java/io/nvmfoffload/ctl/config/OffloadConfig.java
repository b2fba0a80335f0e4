package io.nvmfoffload.ctl.config;

import io.nvmfoffload.nvmf.SubsystemOffload;
import io.nvmfoffload.verbs.nvmf.OffloadOp;

import java.util.Locale;
import java.util.Set;

/** A subsystem's offload request as the document states it; it maps one to one onto {@link SubsystemOffload}. */
public record OffloadConfig(Set<OffloadOp> ops, int queueDepth, long stagingBufferBytes, long maxIoSize, long commandTimeoutUs,
                            SubsystemOffload.SwitchFailure onSwitchFailure) {
    public OffloadConfig {
        ops = Set.copyOf(ops);
    }

    /** The document's "switch_failure" values. */
    static String name(SubsystemOffload.SwitchFailure f) {
        return f.name().toLowerCase(Locale.ROOT);
    }

    public SubsystemOffload toSubsystemOffload() {
        return new SubsystemOffload(ops, queueDepth, stagingBufferBytes, maxIoSize, commandTimeoutUs, onSwitchFailure);
    }

    public static OffloadConfig of(SubsystemOffload o) {
        return o == null ? null : new OffloadConfig(o.ops(), o.queueDepth(), o.stagingBufferBytes(), o.maxIoSize(), o.commandTimeoutUs(),
                o.onSwitchFailure());
    }
}
