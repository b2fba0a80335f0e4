package io.nvmfoffload.offload.emulated;

import io.nvmfoffload.verbs.Errno;
import io.nvmfoffload.verbs.Fakes;
import io.nvmfoffload.verbs.ProtectionDomain;
import io.nvmfoffload.verbs.nvmf.MemoryRange;
import io.nvmfoffload.verbs.nvmf.NvmfOffloadException;
import io.nvmfoffload.verbs.nvmf.NvmfSrqAttributes;
import io.nvmfoffload.verbs.nvmf.OffloadOp;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ibv_create_srq_ex with the NVMf type on the emulated provider (tiny profile): every refusal is
 * EINVAL, before anything is made.
 */
class EmulatedNvmfOffloadErrnoTest {
    @AutoClose
    private final EmulatedDevice device = new EmulatedDevice();

    @Test
    void attributesOutsideTheCapabilitiesAreEinvalNamingEachOne() {
        NvmfSrqAttributes within = device.srqAttributes(2);
        NvmfSrqAttributes outside = new NvmfSrqAttributes(EnumSet.allOf(OffloadOp.class), 3, 0, (64 + 8192) / 16, 0, 32 << 10,
                EmulatedDevice.QUEUE_DEPTH, within.stagingBuffer(), 64, 1);

        NvmfOffloadException e = EmulatedDevice.refusal(() -> device.offload.createSrq(device.pd, outside));
        assertEquals(Errno.EINVAL, e.error());
        for (String named : new String[] {"READ_WRITE_FLUSH", "max namespaces 3", "ioccsz 516", "max I/O size 32768"}) {
            assertTrue(e.getMessage().contains(named), named + " in: " + e.getMessage());
        }
        assertEquals(0, device.offload.attachedQueuePairs());
    }

    @Test
    void aProtectionDomainOfAnotherDeviceIsEinval() {
        ProtectionDomain elsewhere = Fakes.protectionDomain(Fakes.context("mlx5_1"));
        NvmfSrqAttributes attributes = device.srqAttributes(2);
        NvmfSrqAttributes withOwnStaging = new NvmfSrqAttributes(attributes.ops(), 2, 0, attributes.ioccsz(), 0, attributes.maxIoSize(),
                attributes.queueDepth(), MemoryRange.of(Fakes.memoryRegion(elsewhere, Fakes.memory(8 << 20), 5, 6)), 64, 1);

        NvmfOffloadException e = EmulatedDevice.refusal(() -> device.offload.createSrq(elsewhere, withOwnStaging));
        assertEquals(Errno.EINVAL, e.error());
        assertTrue(e.getMessage().contains("belongs to mlx5_1, not mlx5_0"), e.getMessage());
    }

    @Test
    void aClosedOffloadCreatesNoSrq() {
        device.offload.close();
        NvmfOffloadException e = EmulatedDevice.refusal(() -> device.offload.createSrq(device.pd, device.srqAttributes(2)));
        assertEquals(Errno.EINVAL, e.error());
        assertTrue(e.getMessage().contains("is closed"), e.getMessage());
    }
}
