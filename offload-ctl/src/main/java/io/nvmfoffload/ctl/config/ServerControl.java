package io.nvmfoffload.ctl.config;

import io.nvmfoffload.nvmf.Port;
import io.nvmfoffload.nvmf.Target;
import io.nvmfoffload.nvmf.TransportType;
import io.nvmfoffload.nvmf.server.TargetServer;
import io.nvmfoffload.verbs.Verbs;

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

    /** The server first: when it refuses the change (its offload manager exists), nothing changed here either. */
    @Override
    public void provider(ProviderConfig provider) {
        server.offloadProfile(provider.profile());
        this.provider = provider;
    }

    /**
     * An RDMA port is refused here when verbs are unusable: the server creates its offload manager,
     * which fixes the provider for good, before the listener fails, so a rolled-back apply could
     * not put the previous provider back.
     */
    @Override
    public void startListener(Port port) {
        if (port.transport() == TransportType.RDMA) {
            String why = Verbs.unavailableReason().orElse(Verbs.rdmaCmLoaded() ? null : "librdmacm cannot be loaded");
            if (why != null) {
                throw new IllegalStateException("cannot listen for NVMe/RDMA on " + port + ": " + why);
            }
        }
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
