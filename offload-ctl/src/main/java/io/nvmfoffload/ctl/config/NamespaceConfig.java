package io.nvmfoffload.ctl.config;

/**
 * A namespace: its nsid, where its blocks live, the identifiers hosts see (null parts: derived
 * from the store, which keeps them stable across restarts), and the command timeout of its backend
 * controllers where its subsystem is offloaded ({@code offload_cmd_tmo_us}; 0: absent, the
 * subsystem's).
 */
public record NamespaceConfig(int nsid, StoreConfig store, NamespaceIds ids, long offloadCommandTimeoutUs) {
    /**
     * Whether a running namespace already is what this one asks for, its offload command timeout
     * aside (that changes in place). Identifiers the document leaves out match whatever the running
     * one has, so a re-apply never recreates a store.
     */
    public boolean satisfiedBy(NamespaceConfig running) {
        return nsid == running.nsid && store.equals(running.store) && ids.satisfiedBy(running.ids);
    }
}
