package io.nvmfoffload.offload.emulated;

import io.nvmfoffload.offload.DeviceProfile;
import io.nvmfoffload.verbs.Errno;
import io.nvmfoffload.verbs.nvmf.NamespaceMapping;
import io.nvmfoffload.verbs.nvmf.NvmfOffloadException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ibv_map_nvmf_nsid / ibv_unmap_nvmf_nsid with the RFC's errnos. */
class NamespaceRoutesTest {
    private final Arena arena = Arena.ofConfined();
    private final EmulatedBackendController a = new FakeNvmeBackend(arena, 1, 8, 4, 1).controller;
    private final EmulatedBackendController b = new FakeNvmeBackend(arena, 2, 8, 4, 1).controller;

    @AfterEach
    void close() {
        arena.close();
    }

    /** Routes on the tiny profile's device: blocks of 512 and 4096 bytes only. */
    private static NamespaceRoutes routes(int maxNamespaces, int maxFrontendNsid) {
        return new NamespaceRoutes(1, maxNamespaces, maxFrontendNsid, DeviceProfile.tiny().capabilities().lbaDataSizes());
    }

    private static Errno errnoOf(Runnable verb) {
        return assertThrows(NvmfOffloadException.class, verb::run).error();
    }

    @Test
    void aMappedNamespaceRoutesToItsControllerAndNvmeNsidUntilUnmapped() {
        NamespaceRoutes routes = routes(4, 0);
        routes.map(a, new NamespaceMapping(300, 512, 2));
        assertSame(a, routes.get(300).controller);
        assertEquals(2, routes.get(300).mapping.nvmeNsid());
        assertEquals(List.of(new NamespaceMapping(300, 512, 2)), a.mappings);
        routes.unmap(a, 300);
        assertNull(routes.get(300));
        assertEquals(0, routes.count());
        assertEquals(List.of(), a.mappings);
    }

    @Test
    void eachRefusalHasTheRfcsErrno() {
        NamespaceRoutes routes = routes(2, 16);
        routes.map(a, new NamespaceMapping(1, 512, 1));
        assertEquals(Errno.EEXIST, errnoOf(() -> routes.map(b, new NamespaceMapping(1, 4096, 1))), "fe_nsid mapped already");
        assertEquals(Errno.ENOTSUP, errnoOf(() -> routes.map(a, new NamespaceMapping(2, 1024, 2))), "lba_data_size");
        assertEquals(Errno.ENOTSUP, errnoOf(() -> routes.map(a, new NamespaceMapping(2, 4104, 2))), "4096 + 8 bytes of metadata");
        assertEquals(Errno.EINVAL, errnoOf(() -> routes.map(a, new NamespaceMapping(17, 512, 2))), "above max_frontend_nsid");
        routes.map(b, new NamespaceMapping(2, 4096, 1));
        assertEquals(Errno.ENOSPC, errnoOf(() -> routes.map(a, new NamespaceMapping(3, 512, 3))), "max namespaces");
        assertEquals(Errno.ENOENT, errnoOf(() -> routes.unmap(a, 2)), "mapped, but to another controller");
        assertEquals(Errno.ENOENT, errnoOf(() -> routes.unmap(a, 9)), "never mapped");
        assertEquals(Errno.ENOENT, errnoOf(() -> routes.counters(b, 1)));
        a.moveTo(EmulatedBackendController.State.CLOSED);
        routes.unmap(a, 1);
        assertEquals(Errno.EINVAL, errnoOf(() -> routes.map(a, new NamespaceMapping(1, 512, 1))), "a closed controller");
    }

    @Test
    void aProfileListingDataPlusMetadataSizesMapsThem() {
        NamespaceRoutes routes = new NamespaceRoutes(1, 4, 0, DeviceProfile.connectX5Class().capabilities().lbaDataSizes());
        routes.map(a, new NamespaceMapping(1, 4104, 1));
        routes.map(b, new NamespaceMapping(2, 4160, 1));
        assertEquals(4104, routes.get(1).mapping.lbaDataSize());
        NvmfOffloadException e = assertThrows(NvmfOffloadException.class, () -> routes.map(a, new NamespaceMapping(3, 1024, 2)));
        assertEquals(Errno.ENOTSUP, e.error());
        assertTrue(e.getMessage().contains("[512, 520, 576, 4096, 4104, 4160]"), e.getMessage());
    }

    @Test
    void nsidsOutsideTheTableHaveNoRoute() {
        NamespaceRoutes routes = routes(4, 0);
        routes.map(a, new NamespaceMapping(5, 512, 1));
        assertNull(routes.get(0));
        assertNull(routes.get(-1), "FFFFFFFFh, the broadcast nsid");
        assertNull(routes.get(6));
        assertNull(routes.get(Integer.MAX_VALUE));
    }

    @Test
    void theContextsTotalsSumEveryNamespace() {
        NamespaceRoutes routes = routes(4, 0);
        routes.map(a, new NamespaceMapping(1, 512, 1));
        routes.map(b, new NamespaceMapping(2, 512, 1));
        routes.get(1).readCommands = 3;
        routes.get(1).readBlocks = 24;
        routes.get(2).readCommands = 2;
        routes.get(2).errorCommands = 1;
        assertEquals(5, routes.totals().readCommands());
        assertEquals(24, routes.totals().readBlocks());
        assertEquals(1, routes.totals().errorCommands());
        assertEquals(2, routes.counters(b, 2).readCommands());
    }
}
