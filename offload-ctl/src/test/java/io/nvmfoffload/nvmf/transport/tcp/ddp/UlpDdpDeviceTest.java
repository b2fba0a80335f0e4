package io.nvmfoffload.nvmf.transport.tcp.ddp;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UlpDdpDeviceTest {
    private static final int TCP = UlpDdpCapability.NVME_TCP.bit();
    private static final int DDGST = UlpDdpCapability.NVME_TCP_DDGST_RX.bit();

    private static long stat(UlpDdpDevice d, String name) {
        return d.statistics().kernelCounters().get(name);
    }

    @Test
    void capsSetKeepsUnmaskedBitsAndNeverActivatesWhatTheDeviceLacks() {
        UlpDdpDevice d = new UlpDdpDevice("t", "tiny", UlpDdpLimits.TINY, TCP, TCP);
        assertEquals(TCP, d.setCaps(TCP | DDGST, TCP | DDGST), "ddgst-rx is not in hw, so it stays off");
        assertEquals(0, d.setCaps(0, TCP));
        assertEquals(TCP, d.setCaps(TCP, TCP));
        assertEquals(TCP, d.setCaps(0, 0), "an empty mask changes nothing");
        assertThrows(IllegalArgumentException.class, () -> d.setCaps(4, 4));
    }

    @Test
    void socketsBeyondTheDeviceLimitFailSkAddAndRunWithoutPlacement() {
        UlpDdpDevice d = UlpDdpDevice.emulated("t", "tiny");
        UlpDdpSocket a = d.addSocket();
        UlpDdpSocket b = d.addSocket();
        UlpDdpSocket c = d.addSocket();
        assertTrue(a.offloaded() && b.offloaded());
        assertFalse(c.offloaded(), "the tiny profile tracks 2 sockets");
        assertEquals(2, stat(d, "rx-nvme-tcp-sk-add"));
        assertEquals(1, stat(d, "rx-nvme-tcp-sk-add-fail"));
        a.close();
        a.close();
        c.close();
        assertEquals(1, stat(d, "rx-nvme-tcp-sk-del"), "only an offloaded socket is deleted, once");
        assertTrue(d.addSocket().offloaded(), "a freed place is taken again");
    }

    @Test
    void withNvmeTcpOffASocketIsNotOffloadedAndNothingIsCounted() {
        UlpDdpDevice d = UlpDdpDevice.emulated("t", "connectx5-class");
        d.setCaps(0, TCP);
        UlpDdpSocket s = d.addSocket();
        assertFalse(s.offloaded());
        assertFalse(s.verifiesDataDigest(), "ddgst-rx alone does nothing without nvme-tcp");
        assertFalse(s.setup(0, 32, 128 * 1024));
        assertEquals(0, stat(d, "rx-nvme-tcp-sk-add") + stat(d, "rx-nvme-tcp-sk-add-fail") + stat(d, "rx-nvme-tcp-setup-fail"));
    }

    @Test
    void setupSkipsSmallIoAndFailsLongScatterListsAndTagsBeyondTheQueue() {
        UlpDdpDevice d = UlpDdpDevice.emulated("t", "tiny");  // threshold 8 KiB, 4 entries
        UlpDdpSocket s = d.addSocket();
        assertFalse(s.setup(0, 32, 4096), "below the I/O threshold: copied, not a failure");
        assertEquals(0, stat(d, "rx-nvme-tcp-setup-fail"));
        assertTrue(s.setup(1, 32, 16 * 1024));
        assertFalse(s.setup(2, 32, 16 * 1024 + 1), "5 pages > max_ddp_sgl_len 4");
        assertFalse(s.setup(32, 32, 8192), "tag 32 of a 32-entry queue without full tag range");
        assertEquals(1, stat(d, "rx-nvme-tcp-setup"));
        assertEquals(2, stat(d, "rx-nvme-tcp-setup-fail"));
        s.teardown();
        assertEquals(1, stat(d, "rx-nvme-tcp-teardown"));
    }

    @Test
    void aDropLosesTheFramingUntilTheNextHeaderIsConfirmed() {
        UlpDdpDevice d = UlpDdpDevice.emulated("t", "connectx5-class");
        UlpDdpSocket s = d.addSocket();
        assertFalse(s.atPduHeader(100));
        s.drop();
        assertTrue(s.atPduHeader(4196));
        assertFalse(s.atPduHeader(4300), "tracking again");
        assertEquals(1, stat(d, "rx-nvme-tcp-drop"));
        assertEquals(1, stat(d, "rx-nvme-tcp-resync"));
        assertEquals(4196, s.lastResyncOffset());
    }

    @Test
    void placedAndCopiedBytesAreCountedApart() {
        UlpDdpDevice d = UlpDdpDevice.emulated("t", "connectx5-class");
        UlpDdpSocket s = d.addSocket();
        s.placed(131072);
        s.copied(4096);
        assertEquals(1, stat(d, "rx-nvme-tcp-packets"));
        assertEquals(131072, stat(d, "rx-nvme-tcp-bytes"));
        assertEquals(4096, d.statistics().modelCounters().get("copied-bytes"));
    }
}
