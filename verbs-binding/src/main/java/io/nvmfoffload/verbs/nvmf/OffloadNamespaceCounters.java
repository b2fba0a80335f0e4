package io.nvmfoffload.verbs.nvmf;

/**
 * What the device counts per offloaded namespace (the vendor kernel's namespace counters query).
 * Blocks are logical blocks of the namespace's lba_data_size.
 */
public record OffloadNamespaceCounters(long readCommands, long readBlocks, long writeCommands, long writeBlocks,
                                       long inlineWriteCommands, long flushCommands, long errorCommands,
                                       long backendErrorCommands) {
    public static final OffloadNamespaceCounters ZERO = new OffloadNamespaceCounters(0, 0, 0, 0, 0, 0, 0, 0);

    public OffloadNamespaceCounters plus(OffloadNamespaceCounters o) {
        return new OffloadNamespaceCounters(readCommands + o.readCommands, readBlocks + o.readBlocks,
                writeCommands + o.writeCommands, writeBlocks + o.writeBlocks, inlineWriteCommands + o.inlineWriteCommands,
                flushCommands + o.flushCommands, errorCommands + o.errorCommands, backendErrorCommands + o.backendErrorCommands);
    }
}
