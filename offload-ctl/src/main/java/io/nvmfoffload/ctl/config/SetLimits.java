package io.nvmfoffload.ctl.config;

import io.nvmfoffload.target.HostLimits;

/**
 * Sets the bounds on what hosts may make the target hold. Connections and controllers already
 * there stay; the new bounds apply from the next accept, Connect and watchdog pass. A TCP port's
 * data buffer pool is sized when the port starts listening.
 */
final class SetLimits extends Step {
    private final HostLimits limits;
    private final HostLimits previous;

    SetLimits(HostLimits limits, HostLimits previous) {
        super("set_limits");
        this.limits = limits;
        this.previous = previous;
        arg("limits", ConfigWriter.limits(limits).toString());
    }

    @Override
    void execute(TargetControl c) {
        c.target().limits(limits);
    }

    @Override
    void undo(TargetControl c) {
        c.target().limits(previous);
    }
}
