package io.nvmfoffload.nvmf;

import io.nvmfoffload.nvme.store.NamespaceStore;

/** A namespace of a subsystem: its NSID, the store holding its blocks, and its I/O counters. */
public record TargetNamespace(int nsid, NamespaceStore store, NamespaceCounters counters) {
    public TargetNamespace {
        if (nsid < 1 || nsid == 0xFFFFFFFF) {
            throw new IllegalArgumentException("nsid " + Integer.toUnsignedString(nsid) + " is not a valid namespace id");
        }
    }

    public TargetNamespace(int nsid, NamespaceStore store) {
        this(nsid, store, new NamespaceCounters());
    }
}
