package io.nvmfoffload.ctl.config;

/**
 * A namespace: its nsid, where its blocks live, and the identifiers hosts see (null parts: derived
 * from the store, which keeps them stable across restarts).
 */
public record NamespaceConfig(int nsid, StoreConfig store, NamespaceIds ids) {
    /**
     * Whether a running namespace already is what this one asks for. Identifiers the document leaves
     * out match whatever the running one has, so a re-apply never recreates a store.
     */
    public boolean satisfiedBy(NamespaceConfig running) {
        return nsid == running.nsid && store.equals(running.store) && ids.satisfiedBy(running.ids);
    }
}
