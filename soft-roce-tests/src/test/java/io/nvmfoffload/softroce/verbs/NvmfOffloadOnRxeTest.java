package io.nvmfoffload.softroce.verbs;

import io.nvmfoffload.softroce.bed.InBed;
import io.nvmfoffload.softroce.bed.Rxe;
import io.nvmfoffload.verbs.DeviceContext;
import io.nvmfoffload.verbs.Errno;
import io.nvmfoffload.verbs.ProtectionDomain;
import io.nvmfoffload.verbs.RdmaDevices;
import io.nvmfoffload.verbs.nvmf.NvmfCapabilities;
import io.nvmfoffload.verbs.nvmf.NvmfOffload;
import io.nvmfoffload.verbs.nvmf.NvmfOffloadException;
import io.nvmfoffload.verbs.nvmf.NvmfOffloadProviders;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Soft-RoCE has no NVMf offload: the provider chosen for it must say so, by name. */
@InBed
class NvmfOffloadOnRxeTest {
    @Test
    void rxeGetsTheNoneProviderWhichRefusesOffloadNamingTheDevice() {
        try (DeviceContext ctx = RdmaDevices.open(Rxe.DEVICE);
             ProtectionDomain pd = ctx.allocateProtectionDomain();
             NvmfOffload offload = NvmfOffloadProviders.open(ctx)) {
            assertEquals("none", offload.providerName());
            assertEquals(NvmfCapabilities.NONE, offload.capabilities());

            NvmfOffloadException e = assertThrows(NvmfOffloadException.class, () -> offload.createSrq(pd, null));
            assertEquals(Errno.EOPNOTSUPP, e.error());
            assertEquals("ibv_create_srq_ex failed: EOPNOTSUPP (95): device rxe0 has no NVMf target offload (provider 'none')",
                    e.getMessage());
        }
    }
}
