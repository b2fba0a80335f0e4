package io.nvmfoffload.offload.emulated;

import io.nvmfoffload.verbs.Errno;
import io.nvmfoffload.verbs.nvmf.NamespaceMapping;
import io.nvmfoffload.verbs.nvmf.OffloadNamespaceCounters;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/**
 * An offload context's front-end namespaces ({@code ibv_map_nvmf_nsid} / {@code ibv_unmap_nvmf_nsid}):
 * fe_nsid to its {@code <backend controller, nvme_nsid>} route, an array indexed by nsid so the
 * engine finds a capsule's route without hashing. The errnos are the RFC's: EEXIST for an fe_nsid
 * mapped already, ENOENT for one that is not, ENOTSUP for an lba_data_size the device lacks, and
 * ENOSPC past the SRQ's namespaces. Guarded by the context's lock.
 */
final class NamespaceRoutes {
    private final int srqId;
    private final int maxNamespaces;
    /** The device's max_frontend_nsid; 0: any. */
    private final int maxFrontendNsid;
    /** The lba_data_size values the device's profile lists. */
    private final Set<Integer> lbaDataSizes;
    private NamespaceRoute[] routes = new NamespaceRoute[0];
    private int count;

    NamespaceRoutes(int srqId, int maxNamespaces, int maxFrontendNsid, Set<Integer> lbaDataSizes) {
        this.srqId = srqId;
        this.maxNamespaces = maxNamespaces;
        this.maxFrontendNsid = maxFrontendNsid;
        this.lbaDataSizes = Set.copyOf(lbaDataSizes);
    }

    /** The route of {@code nsid}, or null (unmapped, 0, or above every mapped nsid: FFFFFFFFh included). */
    NamespaceRoute get(int nsid) {
        return nsid > 0 && nsid < routes.length ? routes[nsid] : null;
    }

    int count() {
        return count;
    }

    void map(EmulatedBackendController c, NamespaceMapping m) {
        if (c.state() == EmulatedBackendController.State.CLOSED) {
            throw c.error("ibv_map_nvmf_nsid", Errno.EINVAL, "is closed");
        }
        int nsid = m.frontendNsid();
        if (maxFrontendNsid != 0 && Integer.compareUnsigned(nsid, maxFrontendNsid) > 0) {
            throw c.error("ibv_map_nvmf_nsid", Errno.EINVAL, "fe_nsid " + nsid + " exceeds max_frontend_nsid " + maxFrontendNsid);
        }
        if (!lbaDataSizes.contains(m.lbaDataSize())) {
            throw c.error("ibv_map_nvmf_nsid", Errno.ENOTSUP, "lba_data_size " + m.lbaDataSize()
                    + " is not supported (the device supports " + new TreeSet<>(lbaDataSizes) + ")");
        }
        NamespaceRoute existing = get(nsid);
        if (existing != null) {
            throw c.error("ibv_map_nvmf_nsid", Errno.EEXIST, "fe_nsid " + nsid + " is already mapped in SRQ " + srqId + " (to "
                    + existing.controller + ")");
        }
        if (count >= maxNamespaces) {
            throw c.error("ibv_map_nvmf_nsid", Errno.ENOSPC, "SRQ " + srqId + " already maps " + count
                    + " namespaces, its max namespaces");
        }
        if (nsid >= routes.length) {
            routes = Arrays.copyOf(routes, Math.max(nsid + 1, routes.length * 2));
        }
        routes[nsid] = new NamespaceRoute(m, c);
        count++;
        c.mappings.add(m);
    }

    void unmap(EmulatedBackendController c, int nsid) {
        NamespaceRoute r = routeOf(c, nsid, "ibv_unmap_nvmf_nsid");
        routes[nsid] = null;
        count--;
        c.mappings.remove(r.mapping);
    }

    /** What the engine counted for {@code nsid} on {@code c}. */
    OffloadNamespaceCounters counters(EmulatedBackendController c, int nsid) {
        return routeOf(c, nsid, "query namespace counters").snapshot();
    }

    /** Every mapped namespace's counters summed. */
    OffloadNamespaceCounters totals() {
        OffloadNamespaceCounters sum = OffloadNamespaceCounters.ZERO;
        for (NamespaceRoute r : routes) {
            if (r != null) {
                sum = sum.plus(r.snapshot());
            }
        }
        return sum;
    }

    private NamespaceRoute routeOf(EmulatedBackendController c, int nsid, String verb) {
        NamespaceRoute r = get(nsid);
        if (r == null || r.controller != c) {
            throw c.error(verb, Errno.ENOENT, "fe_nsid " + nsid + " is not mapped to this controller");
        }
        return r;
    }
}
