package io.nvmfoffload.nvmf.transport.rdma;

import io.nvmfoffload.nvmf.Port;
import io.nvmfoffload.nvmf.TransportType;
import io.nvmfoffload.nvmf.transport.tcp.TcpTransportOptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RdmaTransportOptionsTest {
    @Test
    void handsOffOnlyPostsAtOrAboveTheThreshold() {
        RdmaTransportOptions options = RdmaTransportOptions.DEFAULTS;
        assertFalse(options.handsOff(4096));
        assertFalse(options.handsOff(32 * 1024 - 1));
        assertTrue(options.handsOff(32 * 1024));
        assertTrue(options.handsOff(128 * 1024));
    }

    @Test
    void handsOffNothingWithoutThePostingThread() {
        assertFalse(new RdmaTransportOptions(512, false, false, 0, false).handsOff(1 << 20));
    }

    @Test
    void theDefaultsAreAnSrqOf512BuffersWithBatchedSendsAndAPostingThreadFrom32KiB() {
        assertEquals(new RdmaTransportOptions(512, false, true, 32 * 1024, false), RdmaTransportOptions.DEFAULTS);
    }

    @Test
    void aPortWithoutOptionsHasTheDefaultsAndAPortWithThemHasItsOwn() {
        Port port = Port.of(1, TransportType.RDMA, "10.0.0.1", 4420);
        assertSame(RdmaTransportOptions.DEFAULTS, RdmaTransportOptions.of(port));
        RdmaTransportOptions small = RdmaTransportOptions.DEFAULTS.withMaxSrqDepth(32).withNoSrq(true);
        assertEquals(small, RdmaTransportOptions.of(port.withOptions(small)));
    }

    @Test
    void valuesOutOfRangeAreRefusedNamingTheOptionAndTheRange() {
        IllegalArgumentException depth = assertThrows(IllegalArgumentException.class, () -> RdmaTransportOptions.DEFAULTS.withMaxSrqDepth(8));
        assertEquals("rdma option max_srq_depth 8 is out of range: expected 16 to 16384", depth.getMessage());
        IllegalArgumentException bytes = assertThrows(IllegalArgumentException.class, () -> new RdmaTransportOptions(512, false, true, -1, false));
        assertEquals("rdma option posting_thread_min_bytes -1 is out of range: expected 0 to 16777216", bytes.getMessage());
    }

    @Test
    void aPortRefusesTheOtherTransportsOptions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Port.of(1, TransportType.TCP, "10.0.0.1", 4420).withOptions(RdmaTransportOptions.DEFAULTS));
        assertEquals("port 1: rdma options given to a tcp port", e.getMessage());
        assertSame(TcpTransportOptions.DEFAULTS, TcpTransportOptions.of(Port.of(1, TransportType.TCP, "10.0.0.1", 4420)));
    }
}
