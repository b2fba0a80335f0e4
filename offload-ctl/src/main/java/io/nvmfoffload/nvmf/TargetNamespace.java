package io.nvmfoffload.nvmf;

import io.nvmfoffload.nvme.store.NamespaceStore;

/**
 * A namespace of a subsystem: its NSID, the store holding its blocks, its I/O counters, and the
 * command timeout of its backend controllers where its subsystem is offloaded (the vendor nvmet's
 * {@code offload_cmd_tmo_us}; 0: the subsystem's).
 */
public record TargetNamespace(int nsid, NamespaceStore store, NamespaceCounters counters, long offloadCommandTimeoutUs) {
    public TargetNamespace {
        if (nsid < 1 || nsid == 0xFFFFFFFF) {
            throw new IllegalArgumentException("nsid " + Integer.toUnsignedString(nsid) + " is not a valid namespace id");
        }
        if (offloadCommandTimeoutUs < 0) {
            throw new IllegalArgumentException("nsid " + nsid + ": offload command timeout " + offloadCommandTimeoutUs
                    + " us is negative");
        }
    }

    public TargetNamespace(int nsid, NamespaceStore store, long offloadCommandTimeoutUs) {
        this(nsid, store, new NamespaceCounters(), offloadCommandTimeoutUs);
    }

    public TargetNamespace(int nsid, NamespaceStore store) {
        this(nsid, store, 0);
    }

    /** The same namespace, store and counters with another offload command timeout. */
    public TargetNamespace withOffloadCommandTimeoutUs(long us) {
        return new TargetNamespace(nsid, store, counters, us);
    }
}
