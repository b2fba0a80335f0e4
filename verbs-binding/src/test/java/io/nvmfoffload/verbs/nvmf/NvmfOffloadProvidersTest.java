package io.nvmfoffload.verbs.nvmf;

import io.nvmfoffload.verbs.DeviceContext;
import io.nvmfoffload.verbs.Errno;
import io.nvmfoffload.verbs.Fakes;
import io.nvmfoffload.verbs.ProtectionDomain;
import io.nvmfoffload.verbs.QueuePair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NvmfOffloadProvidersTest {
    private static final DeviceContext RXE = Fakes.context("rxe0");
    private static final DeviceContext MLX = Fakes.context("mlx5_0");

    /** A stand-in vendor provider: supports only mlx devices, above "none". */
    private static final class VendorProvider implements NvmfOffloadProvider {
        @Override
        public String name() {
            return "test-vendor";
        }

        @Override
        public int priority() {
            return 100;
        }

        @Override
        public boolean supports(DeviceContext context) {
            return context.name().startsWith("mlx");
        }

        @Override
        public NvmfOffload open(DeviceContext context) {
            throw new UnsupportedOperationException("not needed here");
        }
    }

    private final VendorProvider vendor = new VendorProvider();

    @AfterEach
    void unregister() {
        NvmfOffloadProviders.unregister(vendor);
    }

    @Test
    void aDeviceNoProviderSupportsGetsNone() {
        assertEquals("none", NvmfOffloadProviders.forDevice(RXE).name());
        assertTrue(NvmfOffloadProviders.all().stream().anyMatch(p -> p.name().equals("none")));
    }

    @Test
    void aNewProviderServesItsDevicesWithoutCallersChanging() {
        NvmfOffloadProviders.register(vendor);

        assertSame(vendor, NvmfOffloadProviders.forDevice(MLX));
        assertEquals("none", NvmfOffloadProviders.forDevice(RXE).name());
    }

    @Test
    void aProviderIsFoundByItsName() {
        NvmfOffloadProviders.register(vendor);

        assertSame(vendor, NvmfOffloadProviders.byName(vendor.name()).orElseThrow());
        assertTrue(NvmfOffloadProviders.byName("magic").isEmpty());
    }

    @Test
    void twoProvidersCannotShareAName() {
        NvmfOffloadProviders.register(vendor);
        assertThrows(IllegalArgumentException.class, () -> NvmfOffloadProviders.register(new VendorProvider()));
    }

    @Test
    void theNoneProviderReportsNoOffloadAndRefusesEveryOffloadVerb() {
        try (NvmfOffload offload = NvmfOffloadProviders.open(RXE)) {
            assertEquals("none", offload.providerName());
            assertEquals(NvmfCapabilities.NONE, offload.capabilities());

            ProtectionDomain pd = Fakes.protectionDomain(RXE);
            NvmfOffloadException srq = assertThrows(NvmfOffloadException.class, () -> offload.createSrq(pd, null));
            assertEquals("ibv_create_srq_ex failed: EOPNOTSUPP (95): device rxe0 has no NVMf target offload (provider 'none')",
                    srq.getMessage());
            assertEquals(Errno.EOPNOTSUPP, srq.error());
            assertEquals("none", srq.provider());

            NvmfOffloadException qp = assertThrows(NvmfOffloadException.class, () -> offload.enableOffload((QueuePair) null, null, null));
            assertEquals("ibv_qp_set_nvmf", qp.verb());
        }
    }

    @Test
    void offloadErrorsCarryTheErrnoNameTheProviderChose() {
        NvmfOffloadException e = new NvmfOffloadException("ibv_map_nvmf_nsid", Errno.ENOTSUP, "emulated",
                "lba_data_size 520 is not supported");

        assertEquals("ibv_map_nvmf_nsid failed: ENOTSUP (95): lba_data_size 520 is not supported (provider 'emulated')",
                e.getMessage());
        assertEquals("ENOTSUP", e.errnoName());
        assertEquals(Set.of(), NvmfCapabilities.NONE.rcOffloadTypes());
    }
}
