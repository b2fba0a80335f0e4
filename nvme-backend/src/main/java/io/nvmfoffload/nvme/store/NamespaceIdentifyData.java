package io.nvmfoffload.nvme.store;

import io.nvmfoffload.nvme.spec.IdentifyNamespace;
import io.nvmfoffload.nvme.spec.NamespaceIdDescriptorList;

import java.lang.foreign.MemorySegment;

/**
 * Fills the Identify data a controller or target returns for a namespace from its store, so the
 * software target and the emulated controller describe the same namespace the same way.
 */
public final class NamespaceIdentifyData {
    private NamespaceIdentifyData() {
    }

    /** Identify Namespace (CNS 00h) for {@code store}; the view is cleared first. */
    public static void fill(IdentifyNamespace id, NamespaceStore store) {
        long blocks = store.capacityBlocks();
        id.clear()
                .nsze(blocks)
                .ncap(blocks)
                .nuse(blocks)
                .nlbaf(0)
                .flbas(0)
                .lbaf(0, 0, Integer.numberOfTrailingZeros(store.blockSize()), 0)
                .nvmcap(blocks * store.blockSize())
                .nguid(store.identity().nguid())
                .eui64(store.identity().eui64());
        if (store.deallocatedReadsZeros()) {
            // Hosts only trust Deallocate/Write Zeroes(DEAC) as a fast zeroing path when DLFEAT says so.
            id.dlfeat(IdentifyNamespace.DLFEAT_READ_ZEROES | IdentifyNamespace.DLFEAT_WRITE_ZEROES_DEALLOCATE);
        }
    }

    /** Namespace Identification Descriptor list (CNS 03h): EUI-64, NGUID, UUID and CSI. */
    public static void fillDescriptors(MemorySegment out, long offset, NamespaceStore store) {
        new NamespaceIdDescriptorList(out, offset)
                .eui64(store.identity().eui64())
                .nguid(store.identity().nguid())
                .uuid(store.identity().uuid())
                .csi(NamespaceIdDescriptorList.CSI_NVM);
    }
}
