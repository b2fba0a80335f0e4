package io.nvmfoffload.target.transport.rdma;

import io.nvmfoffload.target.core.Request;
import io.nvmfoffload.target.core.RequestState;
import io.nvmfoffload.target.core.TargetCore;
import io.nvmfoffload.verbs.Access;
import io.nvmfoffload.verbs.CompletionQueue;
import io.nvmfoffload.verbs.DeviceContext;
import io.nvmfoffload.verbs.MemoryRegion;
import io.nvmfoffload.verbs.ProtectionDomain;
import io.nvmfoffload.verbs.ReceiveWorkRequests;
import io.nvmfoffload.verbs.SharedReceiveQueue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * What one listener owns on its device, made once: a protection domain, one completion queue and
 * one shared receive queue for all its queue pairs, the registered receive, data and response
 * areas, and the request slots. Closed in reverse order of creation.
 */
final class RdmaResources implements AutoCloseable {
    static final int RECV = 1;
    static final int READ = 2;
    static final int SEND = 3;
    /** The unsignaled RDMA WRITE of read data: it completes only when failed or flushed, and its SEND ends the request. */
    static final int WRITE = 4;

    final int receiveSize;
    final int srqDepth;
    final Arena arena = Arena.ofShared();
    final ProtectionDomain pd;
    final CompletionQueue cq;
    final SharedReceiveQueue srq;
    final MemorySegment receiveArea;
    final MemoryRegion receiveMr;
    final MemorySegment dataArea;
    final MemoryRegion dataMr;
    final MemorySegment responseArea;
    final MemoryRegion responseMr;
    final RdmaSlot[] slots;
    /** The device can SEND_WITH_INV (memory management extensions), so responses invalidate the host's key. */
    final boolean remoteInvalidate;
    /** Responses sent with remote invalidation, for status and tests. */
    final java.util.concurrent.atomic.LongAdder remoteInvalidations = new java.util.concurrent.atomic.LongAdder();
    private final int[] freeSlots;
    private int freeCount;
    private int peakSlotsInUse;
    private final ReceiveWorkRequests repost = new ReceiveWorkRequests(1, 1);

    RdmaResources(DeviceContext context, int inCapsuleDataSize, int srqDepth) {
        if (context.queryDevice().maxSrq() == 0) {
            throw new IllegalStateException(context.name() + " has no shared receive queues; this transport needs them");
        }
        this.remoteInvalidate = context.queryDevice().capabilities().contains(io.nvmfoffload.verbs.DeviceCapability.MEM_MGT_EXTENSIONS);
        this.receiveSize = 64 + inCapsuleDataSize;
        this.srqDepth = srqDepth;
        int slotCount = srqDepth;  // every posted receive can become a request without waiting
        pd = context.allocateProtectionDomain();
        cq = context.createCompletionQueue(srqDepth + 3 * slotCount);
        srq = pd.createSharedReceiveQueue(srqDepth, 1, 0);
        receiveArea = arena.allocate((long) receiveSize * srqDepth, 4096);
        receiveMr = pd.registerMemory(receiveArea, Access.LOCAL_WRITE);
        dataArea = arena.allocate((long) TargetCore.MAX_TRANSFER_BYTES * slotCount, 4096);
        dataMr = pd.registerMemory(dataArea, Access.LOCAL_WRITE);
        responseArea = arena.allocate(16L * slotCount, 64);
        responseMr = pd.registerMemory(responseArea, Access.LOCAL_WRITE);
        slots = new RdmaSlot[slotCount];
        freeSlots = new int[slotCount];
        for (int i = 0; i < slotCount; i++) {
            slots[i] = new RdmaSlot(new Request(arena, i), (long) i * TargetCore.MAX_TRANSFER_BYTES);
            freeSlots[freeCount++] = i;
        }
        try (ReceiveWorkRequests all = new ReceiveWorkRequests(srqDepth, 1)) {
            for (int i = 0; i < srqDepth; i++) {
                all.get(i).reset().wrId(wrId(RECV, i)).addSge(receiveMr, (long) i * receiveSize, receiveSize);
            }
            srq.postReceive(all, srqDepth);
        }
    }

    static long wrId(int kind, int index) {
        return (long) kind << 56 | index;
    }

    static int kind(long wrId) {
        return (int) (wrId >>> 56);
    }

    static int index(long wrId) {
        return (int) wrId;
    }

    long receiveOffset(int index) {
        return (long) index * receiveSize;
    }

    MemorySegment receiveBuffer(int index) {
        return receiveArea.asSlice((long) index * receiveSize, receiveSize);
    }

    /** Gives a receive buffer back to the SRQ (the poller thread only). */
    synchronized void repostReceive(int index) {
        repost.get(0).reset().wrId(wrId(RECV, index)).addSge(receiveMr, (long) index * receiveSize, receiveSize);
        srq.postReceive(repost, 1);
    }

    synchronized RdmaSlot takeSlot() {
        if (freeCount == 0) {
            return null;
        }
        peakSlotsInUse = Math.max(peakSlotsInUse, slots.length - freeCount + 1);
        return slots[freeSlots[--freeCount]];
    }

    /** The most request slots (one per SRQ receive buffer) ever in use at once. */
    synchronized int peakSlotsInUse() {
        return peakSlotsInUse;
    }

    synchronized void releaseSlot(RdmaSlot slot) {
        slot.queue = null;
        if (slot.request.state() == RequestState.COMPLETED) {
            slot.request.transition(RequestState.FREE);
        } else {
            slot.request.abandon();
        }
        freeSlots[freeCount++] = slot.request.slot();
    }

    /** Releases a slot and gives back the receive buffer its in-capsule data was in. */
    void releaseSlotOf(RdmaSlot slot) {
        int held = slot.heldReceive;
        slot.heldReceive = -1;
        releaseSlot(slot);
        if (held >= 0) {
            repostReceive(held);
        }
    }

    Request request(int index) {
        return slots[index].request;
    }

    @Override
    public void close() {
        for (RdmaSlot s : slots) {
            s.close();
        }
        repost.close();
        responseMr.close();
        dataMr.close();
        receiveMr.close();
        srq.close();
        cq.close();
        pd.close();
        arena.close();
    }
}
