package io.nvmfoffload.nvmf.server;

import io.nvmfoffload.offload.DeviceProfile;
import io.nvmfoffload.nvmf.Port;
import io.nvmfoffload.nvmf.Target;
import io.nvmfoffload.nvmf.TransportType;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.Socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        int a;
        int b;
        try (ServerSocket s1 = new ServerSocket(0); ServerSocket s2 = new ServerSocket(0)) {
            a = s1.getLocalPort();
            b = s2.getLocalPort();
        }
        Target target = new Target();
        target.addPort(Port.of(1, TransportType.TCP, "127.0.0.1", a));
        target.addPort(Port.of(2, TransportType.TCP, "127.0.0.1", b));
        try (TargetServer server = new TargetServer(target).start()) {
            server.stopListening(1);
            assertEquals(1, server.tcpListeners().size());
            assertEquals(2, server.tcpListeners().getFirst().port().id());
            assertThrows(java.io.IOException.class, () -> new Socket("127.0.0.1", a).close());
            new Socket("127.0.0.1", b).close();
        }
    }
}
