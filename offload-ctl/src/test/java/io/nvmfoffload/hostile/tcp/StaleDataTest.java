package io.nvmfoffload.hostile.tcp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;

import static io.nvmfoffload.hostile.tcp.HostileTarget.BLOCK;
import static io.nvmfoffload.hostile.tcp.HostileTarget.DISCOVERY_NQN;
import static io.nvmfoffload.hostile.tcp.HostileTarget.HOSTNQN;
import static io.nvmfoffload.hostile.tcp.HostileTarget.NSID;
import static io.nvmfoffload.hostile.tcp.HostileTarget.assertReads;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Commands that transfer no data, sent with a 4 KiB controller-to-host buffer. Number of Queues
 * (07h) and Keep Alive Timer (0Fh) return their value in DW0 (NVMe Base 2.0, 5.27.1); a controller
 * either refuses the buffer with Data SGL Length Invalid (nvmet_check_transfer_len) or sends
 * nothing but zeros, never bytes left over from another command.
 */
class StaleDataTest {
    private HostileTarget target;

    @BeforeEach
    void start() throws IOException {
        target = HostileTarget.start();
    }

    @AfterEach
    void stop() {
        target.close();
    }

    /** Spec: Get Features with a 4 KiB buffer fails with Data SGL Length Invalid or returns zeros, after reads filled the buffers. */
    @ParameterizedTest(name = "FID 0x{0}")
    @ValueSource(ints = {0x07, 0x0F})
    void getFeaturesWithADataBufferReturnsNoStaleData(int fid) throws IOException {
        try (SpecTcpHost admin = target.admin(); SpecTcpHost io = target.io(admin, 1)) {
            byte[] secret = new byte[4096];
            java.util.Arrays.fill(secret, (byte) 0xA5);
            assertTrue(io.writeInCapsule(NSID, 200, secret, BLOCK).success());
            for (int i = 0; i < 4; i++) {
                assertReads(io, 200, secret);
            }
            assertTrue(admin.identify(1, 0).success(), "Identify Controller fills the admin queue's buffer");
            assertNoStaleData(admin.getFeatures(fid, 4096), "Get Features " + fid);
        }
        target.assertAlive();
    }

    /** Spec: the same on a discovery controller (Keep Alive Timer), after a discovery log read filled its buffer. */
    @Test
    void getFeaturesOnADiscoveryControllerReturnsNoStaleData() throws IOException {
        try (SpecTcpHost disc = target.initialized()) {
            Cqe c = disc.connectAdmin(HOSTNQN, DISCOVERY_NQN, 0);
            assertTrue(c.success(), () -> "discovery Connect: " + c);
            disc.enable();
            Completion log = disc.getLogPage(0x70, 0, 0, 4096);
            assertTrue(log.success(), () -> "discovery log: " + log);
            assertNoStaleData(disc.getFeatures(0x0F, 4096), "discovery Get Features KATO");
        }
        target.assertAlive();
    }

    private static void assertNoStaleData(Completion c, String what) {
        if (c.cqe().code() == 0x00F) {
            assertEquals(0, c.bytesReceived(), what + ": refused, yet data was sent");
            return;
        }
        assertTrue(c.success(), () -> what + ": want Data SGL Length Invalid or success, got " + c);
        for (int i = 0; i < c.data().length; i++) {
            int at = i;
            assertEquals(0, c.data()[i], () -> what + ": byte " + at + " of the returned data is not zero: stale data ("
                    + c.bytesReceived() + " bytes sent, first " + HostileTarget.hex(c.data(), 16) + ")");
        }
    }
}
