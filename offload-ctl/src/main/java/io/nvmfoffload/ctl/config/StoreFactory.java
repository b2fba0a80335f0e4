package io.nvmfoffload.ctl.config;

import io.nvmfoffload.nvme.store.FileNamespaceStore;
import io.nvmfoffload.nvme.store.NamespaceIdentity;
import io.nvmfoffload.nvme.store.NamespaceStore;
import io.nvmfoffload.nvme.store.RamNamespaceStore;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
                if (f.createBytes() == 0 && Files.notExists(f.path())) {
                    throw new IllegalArgumentException("file " + f.path() + " does not exist; give a size to create it with "
                            + "(create_size in the configuration, --create SIZE with 'namespace add')");
                }
                FileNamespaceStore.Builder b = FileNamespaceStore.builder(f.path()).blockSize(f.blockSize()).directIo(f.directIo());
                if (f.createBytes() > 0) {
                    b.createIfMissing(f.createBytes() / f.blockSize());
                }
                yield open(identified(b, ids, "file:" + f.path()), f.path());
            }
            case StoreConfig.Block d -> open(identified(FileNamespaceStore.builder(d.path()).blockSize(d.blockSize())
                    .directIo(d.directIo()), ids, "blockdev:" + d.path()), d.path());
        };
    }

    /** The store library's I/O failures carry only the path as their message; this says why. */
    private static FileNamespaceStore open(FileNamespaceStore.Builder b, Path path) {
        try {
            return b.open();
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException("cannot open file store " + path + ": " + IoErrors.reason(e.getCause(), path), e.getCause());
        }
    }

    /** Identifiers the document leaves out come from the store's own sidecar unless some are fixed. */
    private static FileNamespaceStore.Builder identified(FileNamespaceStore.Builder b, NamespaceIds ids, String name) {
        return ids.isUnset() ? b : b.identity(ids.over(NamespaceIdentity.fromName(name)));
    }
}
