package io.nvmfoffload.ctl.rpc;

import io.nvmfoffload.ctl.config.ApplyException;
import io.nvmfoffload.ctl.config.ConfigReader;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManagedTargetTest {
    @Test
    void theServerHasTheDeviceProfileBeforeAnyPortExists() {
        try (ManagedTarget t = ManagedTarget.start(ConfigReader.read("{\"offload_provider\": {\"name\": \"emulated\", \"profile\": \"tiny\"}}"),
                OffloadStateSource.NOT_REPORTED)) {
            assertEquals("tiny", t.server().offloadProfile().name());
            assertTrue(t.config().plan(ConfigReader.parse("{\"offload_provider\": {\"name\": \"emulated\", \"profile\": \"tiny\"}}"))
                    .isEmpty(), "the provider needs no step: it was set at start");
        }
    }

    @Test
    void aConfigurationThatCannotBeServedFailsTheStartWholly() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String doc = "{\"subsystems\": [{\"nqn\": \"nqn.2026-11.io.test:s\"}], \"ports\": [{\"id\": 1, \"transport\": \"tcp\", "
                    + "\"address\": \"127.0.0.1\", \"service_id\": " + taken.getLocalPort() + ", \"subsystems\": [\"nqn.2026-11.io.test:s\"]}]}";
            ApplyException e = assertThrows(ApplyException.class,
                    () -> ManagedTarget.start(ConfigReader.read(doc), OffloadStateSource.NOT_REPORTED));
            assertTrue(e.getMessage().contains("cannot listen"), e.getMessage());
        }
    }
}
