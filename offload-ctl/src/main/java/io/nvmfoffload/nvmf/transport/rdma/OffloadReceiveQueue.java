package io.nvmfoffload.nvmf.transport.rdma;

import io.nvmfoffload.verbs.Access;
import io.nvmfoffload.verbs.CompletionChannel;
import io.nvmfoffload.verbs.CompletionQueue;
import io.nvmfoffload.verbs.MemoryRegion;
import io.nvmfoffload.verbs.ProtectionDomain;
import io.nvmfoffload.verbs.ReceiveWorkRequests;
import io.nvmfoffload.verbs.nvmf.NvmfSrq;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The listener's side of one offload SRQ (one offloaded subsystem on this port): the receive buffers
 * it posts to the SRQ, as the vendor's nvmet-rdma posts its {@code ofl_srq_cmds}, and the completion
 * queue the subsystem's I/O queue pairs receive into (their sends complete on the listener's CQ),
 * as that kernel gives each offload SRQ a CQ of its own. Capsules the offload does not take arrive
 * here and the software serves them like any other. Its buffers are the indices
 * {@code [base, base + count)} of the listener's receive index space.
 */
final class OffloadReceiveQueue implements AutoCloseable {
    final NvmfSrq offloadSrq;
    final int base;
    final int count;
    final int receiveSize;
    final CompletionQueue cq;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment area;
    private final MemoryRegion mr;
    private final ReceiveWorkRequests repost = new ReceiveWorkRequests(1, 1);

    /** Makes the CQ and the buffers and posts every buffer to the SRQ. */
    OffloadReceiveQueue(NvmfSrq offloadSrq, ProtectionDomain pd, CompletionChannel channel, int base, int receiveSize) {
        this.offloadSrq = offloadSrq;
        this.base = base;
        this.count = offloadSrq.attributes().srqMaxWr();
        this.receiveSize = receiveSize;
        CompletionQueue madeCq = null;
        MemoryRegion madeMr = null;
        try {
            madeCq = pd.context().createCompletionQueue(count, channel, 0);
            area = arena.allocate((long) receiveSize * count, 4096);
            madeMr = pd.registerMemory(area, Access.LOCAL_WRITE);
            this.cq = madeCq;
            this.mr = madeMr;
            try (ReceiveWorkRequests all = new ReceiveWorkRequests(count, 1)) {
                for (int i = 0; i < count; i++) {
                    fill(all, i, base + i);
                }
                offloadSrq.receiveQueue().postReceive(all, count);
            }
        } catch (RuntimeException e) {
            if (madeMr != null) {
                madeMr.close();
            }
            if (madeCq != null) {
                madeCq.close();
            }
            repost.close();
            arena.close();
            throw e;
        }
    }

    MemorySegment area() {
        return area;
    }

    long offset(int index) {
        return (long) (index - base) * receiveSize;
    }

    MemorySegment buffer(int index) {
        return area.asSlice(offset(index), receiveSize);
    }

    /** Gives buffer {@code index} back to the offload SRQ. */
    synchronized void repost(int index) {
        offloadSrq.receiveQueue().postReceive(fill(repost, 0, index), 1);
    }

    private ReceiveWorkRequests fill(ReceiveWorkRequests requests, int at, int index) {
        requests.get(at).reset().wrId(RdmaResources.wrId(RdmaResources.RECV, index)).addSge(mr, offset(index), receiveSize);
        return requests;
    }

    /** After every queue pair on the SRQ is destroyed: the SRQ itself is the offload's to close. */
    @Override
    public void close() {
        repost.close();
        mr.close();
        cq.close();
        arena.close();
    }

    @Override
    public String toString() {
        return "offload receive queue of " + count + " buffers (indices " + base + ".." + (base + count - 1) + ")";
    }
}
