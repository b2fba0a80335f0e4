package io.nvmfoffload.ctl.config;

import io.nvmfoffload.nvme.store.FileNamespaceStore;
import io.nvmfoffload.nvme.store.NamespaceIdentity;
import io.nvmfoffload.nvme.store.NamespaceStore;
import io.nvmfoffload.nvme.store.RamNamespaceStore;

/** Opens the store a namespace declares, with the identifiers the document fixes (if any). */
final class StoreFactory {
    private StoreFactory() {}

    static NamespaceStore open(String subsystemNqn, NamespaceConfig ns) {
        NamespaceIds ids = ns.ids();
        return switch (ns.store()) {
            case StoreConfig.Ram r -> {
                String name = subsystemNqn + "/ns" + ns.nsid();
                NamespaceIdentity base = NamespaceIdentity.fromName("ram:" + name);
                yield RamNamespaceStore.create(name, r.blockSize(), r.sizeBytes() / r.blockSize(), ids.over(base));
            }
            case StoreConfig.File f -> {
                FileNamespaceStore.Builder b = FileNamespaceStore.builder(f.path()).blockSize(f.blockSize()).directIo(f.directIo());
                if (f.createBytes() > 0) {
                    b.createIfMissing(f.createBytes() / f.blockSize());
                }
                yield identified(b, ids, "file:" + f.path()).open();
            }
            case StoreConfig.Block d -> identified(FileNamespaceStore.builder(d.path()).blockSize(d.blockSize())
                    .directIo(d.directIo()), ids, "blockdev:" + d.path()).open();
        };
    }

    /** Identifiers the document leaves out come from the store's own sidecar unless some are fixed. */
    private static FileNamespaceStore.Builder identified(FileNamespaceStore.Builder b, NamespaceIds ids, String name) {
        return ids.isUnset() ? b : b.identity(ids.over(NamespaceIdentity.fromName(name)));
    }
}
