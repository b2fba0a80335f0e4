package io.nvmfoffload.target.transport.tcp;

import io.nvmfoffload.nvme.store.RamNamespaceStore;
import io.nvmfoffload.target.Port;
import io.nvmfoffload.target.Target;
import io.nvmfoffload.target.TransportType;
import io.nvmfoffload.target.core.TargetCore;

import java.io.IOException;
import java.net.ServerSocket;

/** For tests: a target with one small RAM namespace in {@link #NQN}, listening for NVMe/TCP on a free loopback port. */
record LoopbackTcpTarget(TargetCore core, TcpTransport transport) implements AutoCloseable {
    static final String NQN = "nqn.2026-11.io.test:tcp";

    static LoopbackTcpTarget start() {
        Target target = new Target();
        target.addSubsystem(NQN, "SN", "model", true);
        target.addNamespace(NQN, 1, RamNamespaceStore.create("ns", 512, 64));
        // service id 0 is not allowed in a Port, so find a free one first
        int free;
        try (ServerSocket probe = new ServerSocket(0)) {
            free = probe.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Port port = Port.of(1, TransportType.TCP, "127.0.0.1", free);
        target.addPort(port);
        target.link(1, NQN);
        TargetCore core = new TargetCore(target);
        return new LoopbackTcpTarget(core, new TcpTransport(core, port));
    }

    int port() {
        return transport.boundPort();
    }

    @Override
    public void close() {
        transport.close();
        core.close();
    }
}
