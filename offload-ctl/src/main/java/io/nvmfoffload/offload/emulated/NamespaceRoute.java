package io.nvmfoffload.offload.emulated;

import io.nvmfoffload.verbs.nvmf.NamespaceMapping;
import io.nvmfoffload.verbs.nvmf.OffloadNamespaceCounters;

/** A mapped front-end namespace: its backend and what the engine counted for it. Guarded by the context lock. */
final class NamespaceRoute {
    final NamespaceMapping mapping;
    final EmulatedBackendController controller;
    long readCommands;
    long readBlocks;
    long writeCommands;
    long writeBlocks;
    long inlineWriteCommands;
    long flushCommands;
    long errorCommands;
    long backendErrorCommands;

    NamespaceRoute(NamespaceMapping mapping, EmulatedBackendController controller) {
        this.mapping = mapping;
        this.controller = controller;
    }

    OffloadNamespaceCounters snapshot() {
        return new OffloadNamespaceCounters(readCommands, readBlocks, writeCommands, writeBlocks, inlineWriteCommands,
                flushCommands, errorCommands, backendErrorCommands);
    }
}
