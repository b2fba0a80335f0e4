package io.nvmfoffload.ctl.config;

import io.nvmfoffload.nvmf.Port;
import io.nvmfoffload.nvmf.Target;

/**
 * What plan steps act on: the configuration model, plus the side effects a running target has
 * (listeners start and stop with their ports; the offload provider is handed to the server).
 */
public interface TargetControl {
    Target target();

    ProviderConfig provider();

    void provider(ProviderConfig provider);

    /** Called after a port was added to the model. */
    void startListener(Port port);

    /** Called before a port is removed from the model. */
    void stopListener(int portId);

    /** A target that is configured but not serving (validation, planning, tests, benchmarks). */
    static TargetControl detached(Target target) {
        return new TargetControl() {
            private volatile ProviderConfig provider = ProviderConfig.SOFTWARE_ONLY;

            @Override
            public Target target() {
                return target;
            }

            @Override
            public ProviderConfig provider() {
                return provider;
            }

            @Override
            public void provider(ProviderConfig p) {
                provider = p;
            }

            @Override
            public void startListener(Port port) {
            }

            @Override
            public void stopListener(int portId) {
            }
        };
    }
}
