package io.nvmfoffload.ctl.config;

import io.nvmfoffload.target.Port;
import io.nvmfoffload.target.Target;
import io.nvmfoffload.target.server.TargetServer;

/** Plan steps acting on a serving target: ports start and stop their listeners, the provider goes to the server. */
public final class ServerControl implements TargetControl {
    private final TargetServer server;
    private volatile ProviderConfig provider;

    public ServerControl(TargetServer server, ProviderConfig provider) {
        this.server = server;
        provider(provider);
    }

    public TargetServer server() {
        return server;
    }

    @Override
    public Target target() {
        return server.target();
    }

    @Override
    public ProviderConfig provider() {
        return provider;
    }

    @Override
    public void provider(ProviderConfig provider) {
        this.provider = provider;
        server.offloadProfile(provider.profile());
    }

    @Override
    public void startListener(Port port) {
        server.listen(port);
    }

    @Override
    public void stopListener(int portId) {
        server.stopListening(portId);
    }
}
