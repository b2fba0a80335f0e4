package io.nvmfoffload.ctl.config;

import io.nvmfoffload.target.Port;
import io.nvmfoffload.target.Target;
import io.nvmfoffload.target.TransportType;
import io.nvmfoffload.target.server.TargetServer;

/** Plan steps acting on a serving target: ports start and stop their listeners, the provider goes to the server. */
public final class ServerControl implements TargetControl {
    private final TargetServer server;
    private final Runnable firstRdmaListener;
    private volatile ProviderConfig provider;
    private boolean rdmaStarted;

    /** {@code firstRdmaListener} runs once, after the first RDMA port started (the offload manager exists then). */
    public ServerControl(TargetServer server, ProviderConfig provider, Runnable firstRdmaListener) {
        this.server = server;
        this.firstRdmaListener = firstRdmaListener;
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
        if (port.transport() == TransportType.RDMA && !rdmaStarted) {
            rdmaStarted = true;
            firstRdmaListener.run();
        }
    }

    @Override
    public void stopListener(int portId) {
        server.stopListening(portId);
    }
}
