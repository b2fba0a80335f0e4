package io.nvmfoffload.nvmf;

import java.util.concurrent.atomic.LongAdder;

/**
 * Per-namespace I/O counters of the software path (the SMART log and the stats command read them).
 * LongAdders: every queue thread adds without contention and nothing is allocated per I/O.
 */
public final class NamespaceCounters {
    public final LongAdder readCommands = new LongAdder();
    public final LongAdder readBlocks = new LongAdder();
    public final LongAdder writeCommands = new LongAdder();
    public final LongAdder writeBlocks = new LongAdder();
    public final LongAdder flushCommands = new LongAdder();
    public final LongAdder errorCommands = new LongAdder();
}
