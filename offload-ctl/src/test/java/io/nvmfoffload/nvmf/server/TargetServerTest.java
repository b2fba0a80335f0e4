package io.nvmfoffload.nvmf.server;

import io.nvmfoffload.offload.DeviceProfile;
import io.nvmfoffload.nvmf.Port;
import io.nvmfoffload.nvmf.Target;
import io.nvmfoffload.nvmf.TransportType;
import io.nvmfoffload.nvmf.transport.PortListener;
import io.nvmfoffload.verbs.Verbs;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TargetServerTest {
    @Test
    void theOffloadProfileIsFixedOnceTheOffloadManagerExists() {
        try (TargetServer server = new TargetServer(new Target()).offloadProfile(DeviceProfile.tiny())) {
            server.offloadProfile(DeviceProfile.connectX5Class());
            server.offloads();
            server.offloadProfile(DeviceProfile.connectX5Class());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> server.offloadProfile(DeviceProfile.tiny()));
            assertTrue(e.getMessage().contains("restart serve"), e.getMessage());
            assertEquals("connectx5-class", server.offloadProfile().name());
        }
    }

    @Test
    void stopListeningClosesOnlyThatPortsListener() throws Exception {
        Target target = twoTcpPorts();
        int a = target.port(1).serviceId();
        int b = target.port(2).serviceId();
        try (TargetServer server = new TargetServer(target).start()) {
            server.stopListening(1);
            assertEquals(1, server.tcpListeners().size());
            assertEquals(2, server.tcpListeners().getFirst().port().id());
            assertThrows(java.io.IOException.class, () -> new Socket("127.0.0.1", a).close());
            new Socket("127.0.0.1", b).close();
        }
    }

    @Test
    void everyPortHasOneListenerInOneListByPortId() throws Exception {
        Target target = twoTcpPorts();
        try (TargetServer server = new TargetServer(target).start()) {
            assertEquals(List.of(1, 2), server.listeners().stream().map(l -> l.port().id()).toList());
            assertEquals(server.listeners(), List.<PortListener>copyOf(server.tcpListeners()));
            assertEquals(List.of(), server.rdmaListeners());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> server.listen(target.port(1)));
            assertTrue(e.getMessage().contains("already has a listener"), e.getMessage());
            assertEquals(2, server.listeners().size());
        }
    }

    @Test
    void anRdmaListenerThatFailsToStartDropsTheOffloadManagerItMade() {
        assumeTrue(Verbs.unavailableReason().isPresent(), "needs a machine without usable RDMA verbs");
        Target target = new Target();
        target.addPort(Port.of(7, TransportType.RDMA, "127.0.0.1", 4420));
        try (TargetServer server = new TargetServer(target).offloadProfile(DeviceProfile.tiny())) {
            assertThrows(RuntimeException.class, () -> server.listen(target.port(7)));
            assertNull(server.offloadsIfStarted(), "the manager made for the listener is gone, so the provider may still change");
            assertEquals(List.of(), server.listeners());
            server.offloadProfile(DeviceProfile.connectX5Class());
        }
    }

    /** Ports 2 and 1, in that order, on free TCP ports of 127.0.0.1. */
    private static Target twoTcpPorts() throws java.io.IOException {
        Target target = new Target();
        try (ServerSocket s1 = new ServerSocket(0); ServerSocket s2 = new ServerSocket(0)) {
            target.addPort(Port.of(2, TransportType.TCP, "127.0.0.1", s2.getLocalPort()));
            target.addPort(Port.of(1, TransportType.TCP, "127.0.0.1", s1.getLocalPort()));
        }
        return target;
    }
}
