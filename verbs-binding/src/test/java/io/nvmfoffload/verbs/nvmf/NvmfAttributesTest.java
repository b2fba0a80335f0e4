package io.nvmfoffload.verbs.nvmf;

import io.nvmfoffload.verbs.DeviceContext;
import io.nvmfoffload.verbs.Fakes;
import io.nvmfoffload.verbs.MemoryRegion;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NvmfAttributesTest {
    private static final DeviceContext CONTEXT = Fakes.context("rxe0");
    private static final MemoryRegion STAGING = Fakes.memoryRegion(Fakes.protectionDomain(CONTEXT), Fakes.memory(64 << 10), 1, 2);

    private static final NvmfCapabilities CAPS = new NvmfCapabilities(
            Set.of(OffloadTypeCapability.READ_WRITE), Set.of(), 64, 4, 32, 32 << 10, 1 << 30, 128 << 10,
            16, 1024, 4, 260, 0, 1_000_000, 60_000_000, 0, true, true, Set.of(512, 4096));

    private static NvmfSrqAttributes attributes(Set<OffloadOp> ops, int queueDepth, long staging) {
        return new NvmfSrqAttributes(ops, 8, 0, 260, 0, 128 << 10, queueDepth, MemoryRange.of(STAGING, 0, staging), 1024, 1);
    }

    @Test
    void attributesWithinTheCapabilitiesHaveNoViolations() {
        assertEquals(List.of(), attributes(EnumSet.of(OffloadOp.READ, OffloadOp.WRITE), 128, 32 << 10).violationsOf(CAPS));
    }

    @Test
    void eachViolationIsNamed() {
        List<String> problems = attributes(EnumSet.allOf(OffloadOp.class), 100, 1024).violationsOf(CAPS);

        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("need capability READ_WRITE_FLUSH"), problems.get(0));
        assertTrue(problems.get(1).contains("queue depth 100 is not a power of two"), problems.get(1));
        assertTrue(problems.get(2).contains("staging buffer of 1024 bytes"), problems.get(2));
    }

    @Test
    void passthroughOfReadWriteSqesNeedsTheDevicesCapability() {
        NvmfSrqAttributes asks = new NvmfSrqAttributes(EnumSet.of(OffloadOp.READ, OffloadOp.WRITE), 8, 0, 260, 0, 128 << 10, 128,
                MemoryRange.of(STAGING, 0, 32 << 10), 1024, 1, true);
        assertEquals(List.of(), asks.violationsOf(CAPS));
        NvmfCapabilities without = new NvmfCapabilities(CAPS.rcOffloadTypes(), CAPS.dcOffloadTypes(), 64, 4, 32, 32 << 10, 1 << 30,
                128 << 10, 16, 1024, 4, 260, 0, 1_000_000, 60_000_000, 0, false, true, CAPS.lbaDataSizes());
        List<String> problems = asks.violationsOf(without);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.getFirst().contains("passthrough_sqe_rw_service"), problems.getFirst());
        assertFalse(attributes(EnumSet.of(OffloadOp.READ), 128, 32 << 10).passthroughSqeRw(), "not asked for unless named");
    }

    @Test
    void aRangeOutsideItsRegionIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MemoryRange.of(STAGING, 60 << 10, 8 << 10));
        assertTrue(e.getMessage().contains("is not inside MR of 65536 bytes"), e.getMessage());
    }

    @Test
    void doorbellsMustBeFourBytes() {
        MemoryRange queue = MemoryRange.of(STAGING, 0, 4096);
        assertThrows(IllegalArgumentException.class, () -> new BackendControllerAttributes(queue, queue,
                MemoryRange.of(STAGING, 8192, 8), MemoryRange.of(STAGING, 8200, 4), 0, 0, 0, null));
    }

    @Test
    void namespaceMappingsNeedRealNsidsAndAnLbaDataSizeTheVerbCanCarry() {
        assertThrows(IllegalArgumentException.class, () -> new NamespaceMapping(0, 512, 1));
        assertThrows(IllegalArgumentException.class, () -> new NamespaceMapping(1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new NamespaceMapping(1, 0x10000, 1), "a 16-bit field");
        assertEquals(4104, new NamespaceMapping(1, 4104, 1).lbaDataSize(), "data plus metadata: the device says if it supports it");
    }

    @Test
    void anIoQueuesSqHeadWrapsAtItsEntries() {
        IoQueueAttributes q = new IoQueueAttributes(3, 4, 1);
        assertEquals(2, q.advance(1));
        assertEquals(0, q.advance(3));
        assertEquals(0xFFFF, new IoQueueAttributes(1, 0x10000, 0xFFFE).advance(0xFFFE), "a 65536-entry queue's last entry");
    }

    @Test
    void anIoQueueOutsideTheSpecsRangesIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new IoQueueAttributes(0, 32, 1), "the admin queue is never offloaded");
        assertThrows(IllegalArgumentException.class, () -> new IoQueueAttributes(0xFFFF, 32, 1));
        assertThrows(IllegalArgumentException.class, () -> new IoQueueAttributes(1, 1, 0), "SQSIZE 0 is invalid");
        assertThrows(IllegalArgumentException.class, () -> new IoQueueAttributes(1, 0x10001, 0));
        assertThrows(IllegalArgumentException.class, () -> new IoQueueAttributes(1, 32, 32), "the head is an index into the queue");
        assertThrows(IllegalArgumentException.class, () -> new IoQueueAttributes(1, 32, -1));
    }
}
