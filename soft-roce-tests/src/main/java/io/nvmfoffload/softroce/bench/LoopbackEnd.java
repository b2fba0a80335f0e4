package io.nvmfoffload.softroce.bench;

import io.nvmfoffload.verbs.Access;
import io.nvmfoffload.verbs.CompletionChannel;
import io.nvmfoffload.verbs.CompletionQueue;
import io.nvmfoffload.verbs.DeviceContext;
import io.nvmfoffload.verbs.MemoryRegion;
import io.nvmfoffload.verbs.ProtectionDomain;
import io.nvmfoffload.verbs.QueuePair;
import io.nvmfoffload.verbs.WorkCompletions;

import java.lang.foreign.Arena;

/**
 * What one end of a {@link CmLoopback} holds: its protection domain, CQs (the receive CQ on a
 * completion channel if given one), one registered buffer, a completions array, and the QP that a
 * subclass creates on its CM id; closed in the order verbs needs, the QP first.
 */
abstract class LoopbackEnd implements AutoCloseable {
    final Arena arena = Arena.ofShared();
    final ProtectionDomain pd;
    final CompletionQueue sendCq;
    final CompletionQueue recvCq;
    /** The receive CQ's channel, or null. */
    final CompletionChannel recvChannel;
    final MemoryRegion mr;
    final WorkCompletions wcs;
    QueuePair qp;

    LoopbackEnd(DeviceContext ctx, int sendCqEntries, int recvCqEntries, CompletionChannel recvChannel, long bufferBytes, int completions,
                Access... access) {
        this.recvChannel = recvChannel;
        pd = ctx.allocateProtectionDomain();
        sendCq = ctx.createCompletionQueue(sendCqEntries);
        recvCq = recvChannel == null ? ctx.createCompletionQueue(recvCqEntries) : ctx.createCompletionQueue(recvCqEntries, recvChannel, 0);
        mr = pd.registerMemory(arena.allocate(bufferBytes, 4096), access);
        wcs = new WorkCompletions(completions);
    }

    @Override
    public void close() {
        if (qp != null) {
            qp.close();
        }
        wcs.close();
        mr.close();
        sendCq.close();
        recvCq.close();
        if (recvChannel != null) {
            recvChannel.close();
        }
        pd.close();
        arena.close();
    }
}
