package io.nvmfoffload.nvmf.transport.tcp;

import io.nvmfoffload.nvme.store.RamNamespaceStore;
import io.nvmfoffload.nvmf.Port;
import io.nvmfoffload.nvmf.Target;
import io.nvmfoffload.nvmf.TransportType;
import io.nvmfoffload.nvmf.core.TargetCore;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** For tests: a target with one small RAM namespace in {@link #NQN}, listening for NVMe/TCP on a free loopback port. */
record LoopbackTcpTarget(TargetCore core, TcpTransport transport) implements AutoCloseable {
    static final String NQN = "nqn.2026-11.io.test:tcp";

    static LoopbackTcpTarget start() {
        return start(io.nvmfoffload.nvmf.HostLimits.DEFAULTS);
    }

    /** As {@link #start()}, with these bounds on what hosts may make the target hold. */
    static LoopbackTcpTarget start(io.nvmfoffload.nvmf.HostLimits limits) {
        Target target = new Target();
        target.limits(limits);
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

    /** A host connection whose ICReq (with {@code digests}: bit 0 header, bit 1 data) got its ICResp. */
    Socket greeted(int digests) throws IOException {
        Socket s = new Socket("127.0.0.1", port());
        s.setSoTimeout(10_000);
        ByteBuffer ic = ByteBuffer.allocate(128).order(ByteOrder.LITTLE_ENDIAN);
        ic.put(0, (byte) Pdu.IC_REQ).put(2, (byte) 128).putInt(4, 128).put(Pdu.IC_DGST, (byte) digests);
        s.getOutputStream().write(ic.array());
        byte[] resp = s.getInputStream().readNBytes(128);
        if (resp.length != 128 || resp[0] != Pdu.IC_RESP) {
            s.close();
            throw new AssertionError("no ICResp to a valid ICReq (" + resp.length + " bytes)");
        }
        return s;
    }

    @Override
    public void close() {
        transport.close();
        core.close();
    }
}
