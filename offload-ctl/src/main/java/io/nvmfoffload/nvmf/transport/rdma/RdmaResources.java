package io.nvmfoffload.nvmf.transport.rdma;

import io.nvmfoffload.nvmf.core.Request;
import io.nvmfoffload.nvmf.core.RequestState;
import io.nvmfoffload.nvmf.transport.buffer.DataBufferPool;
import io.nvmfoffload.verbs.Access;
import io.nvmfoffload.verbs.CompletionChannel;
import io.nvmfoffload.verbs.CompletionQueue;
import io.nvmfoffload.verbs.DeviceContext;
import io.nvmfoffload.verbs.MemoryRegion;
import io.nvmfoffload.verbs.ProtectionDomain;
import io.nvmfoffload.verbs.QueuePair;
import io.nvmfoffload.verbs.ReceiveWorkRequests;
import io.nvmfoffload.verbs.SharedReceiveQueue;
import io.nvmfoffload.verbs.nvmf.NvmfSrq;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one listener owns on its device, made once: a protection domain, one completion queue and
 * one shared receive queue for all its queue pairs (or, where the device has none or the operator
 * asks, a receive queue per queue pair fed from {@link QueueReceives}), the registered receive and
 * response areas, the data buffer pool and the request slots. Closed in reverse order of creation.
 */
final class RdmaResources implements AutoCloseable {
    static final int RECV = 1;
    static final int READ = 2;
    static final int SEND = 3;
    /** The unsignaled RDMA WRITE of read data: it completes only when failed or flushed, and its SEND ends the request. */
    static final int WRITE = 4;
    /** A marker SEND posted after a queue pair went to error: its flush completion follows all the QP's sends. */
    static final int DRAIN = 5;

    /** Receive buffers per request slot when each queue pair has its own receive queue: a QP's run is its host's queue size. */
    static final int PER_QUEUE_BUFFERS_PER_SLOT = 4;
    /** Receive indices set aside per offload SRQ, above the listener's own: its receives must fit. */
    static final int OFFLOAD_RECEIVE_STRIDE = 1 << 16;

    final int receiveSize;
    final int srqDepth;
    /** Receive buffers in all: the SRQ's depth, or the pool the queue pairs' runs come from. */
    final int receiveCount;
    final Arena arena = Arena.ofShared();
    final ProtectionDomain pd;
    /** Where the CQ signals new completions once the poller, idle, asked for it and went to sleep. */
    final CompletionChannel cqChannel;
    final CompletionQueue cq;
    /** Null when each queue pair has a receive queue of its own. */
    final SharedReceiveQueue srq;
    /** Null with the shared receive queue. */
    final QueueReceives queueReceives;
    private final Map<Integer, QueuePair> receiveQueuePairs = new ConcurrentHashMap<>();
    final MemorySegment receiveArea;
    final MemoryRegion receiveMr;
    final DataBufferPool buffers;
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
    /** One per offload SRQ whose queue pairs this listener made; copied on write, read by the poller. */
    private volatile OffloadReceiveQueue[] offloadReceives = new OffloadReceiveQueue[0];

    /**
     * @param perQueueReceives a receive queue per queue pair even if the device has SRQs (a device
     *                         without them always gets that)
     * @param poolBytes        the data buffer pool's size (data_buffer_pool_size)
     * @param maxIoSize        the port's largest transfer
     */
    RdmaResources(DeviceContext context, int inCapsuleDataSize, int srqDepth, boolean perQueueReceives, long poolBytes, int maxIoSize) {
        io.nvmfoffload.verbs.DeviceAttributes device = context.queryDevice();
        boolean shared = !perQueueReceives && device.maxSrq() > 0;
        this.remoteInvalidate = device.canSendWithInvalidate();
        this.receiveSize = 64 + inCapsuleDataSize;
        this.srqDepth = srqDepth;
        int slotCount = srqDepth;  // with the SRQ, every posted receive can become a request without waiting
        this.receiveCount = shared ? srqDepth : PER_QUEUE_BUFFERS_PER_SLOT * srqDepth;
        pd = context.allocateProtectionDomain();
        cqChannel = context.createCompletionChannel();
        cq = context.createCompletionQueue(receiveCount + 3 * slotCount, cqChannel, 0);
        srq = shared ? pd.createSharedReceiveQueue(srqDepth, 1, 0) : null;
        queueReceives = shared ? null : new QueueReceives(receiveCount, this::postToQueuePair);
        receiveArea = arena.allocate((long) receiveSize * receiveCount, 4096);
        receiveMr = pd.registerMemory(receiveArea, Access.LOCAL_WRITE);
        buffers = new DataBufferPool(poolBytes, maxIoSize, chunk -> {
            MemoryRegion mr = pd.registerMemory(chunk, Access.LOCAL_WRITE);
            return new DataBufferPool.Registration(mr.lkey(), mr::close);
        }).withFirstChunk();
        responseArea = arena.allocate(16L * slotCount, 64);
        responseMr = pd.registerMemory(responseArea, Access.LOCAL_WRITE);
        slots = new RdmaSlot[slotCount];
        freeSlots = new int[slotCount];
        for (int i = 0; i < slotCount; i++) {
            slots[i] = new RdmaSlot(new Request(arena, i));
            freeSlots[freeCount++] = i;
        }
        if (shared) {
            try (ReceiveWorkRequests all = new ReceiveWorkRequests(srqDepth, 1)) {
                for (int i = 0; i < srqDepth; i++) {
                    receiveRequest(all, i, i);
                }
                srq.postReceive(all, srqDepth);
            }
        }
    }

    boolean sharesReceiveQueue() {
        return srq != null;
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

    /** The registered area receive buffer {@code index} is in: the listener's, or an offload SRQ's. */
    MemorySegment receiveAreaOf(int index) {
        OffloadReceiveQueue o = offloadReceivesOf(index);
        return o == null ? receiveArea : o.area();
    }

    /** Where receive buffer {@code index} starts in {@link #receiveAreaOf}. */
    long receiveOffset(int index) {
        OffloadReceiveQueue o = offloadReceivesOf(index);
        return o == null ? (long) index * receiveSize : o.offset(index);
    }

    MemorySegment receiveBuffer(int index) {
        OffloadReceiveQueue o = offloadReceivesOf(index);
        return o == null ? receiveArea.asSlice((long) index * receiveSize, receiveSize) : o.buffer(index);
    }

    /** Receive buffers of the listener and of every offload SRQ it posted to. */
    int totalReceives() {
        int n = receiveCount;
        for (OffloadReceiveQueue o : offloadReceives) {
            n += o.count;
        }
        return n;
    }

    /** The offload SRQs' receive sides, for the poller: their CQs are polled with the listener's. */
    OffloadReceiveQueue[] offloadReceiveQueues() {
        return offloadReceives;
    }

    /**
     * The receive side of {@code offloadSrq} on this listener, made (CQ, buffers posted) when the port
     * starts, or for a subsystem linked later when its first queue pair is created.
     */
    synchronized OffloadReceiveQueue offloadReceives(NvmfSrq offloadSrq) {
        for (OffloadReceiveQueue o : offloadReceives) {
            if (o.offloadSrq == offloadSrq) {
                return o;
            }
        }
        if (offloadSrq.attributes().srqMaxWr() > OFFLOAD_RECEIVE_STRIDE) {
            throw new IllegalArgumentException("an offload SRQ of " + offloadSrq.attributes().srqMaxWr() + " receives is deeper than "
                    + OFFLOAD_RECEIVE_STRIDE);
        }
        int base = receiveCount + offloadReceives.length * OFFLOAD_RECEIVE_STRIDE;
        OffloadReceiveQueue made = new OffloadReceiveQueue(offloadSrq, pd, cqChannel, base, receiveSize);
        OffloadReceiveQueue[] grown = java.util.Arrays.copyOf(offloadReceives, offloadReceives.length + 1);
        grown[grown.length - 1] = made;
        offloadReceives = grown;
        return made;
    }

    private OffloadReceiveQueue offloadReceivesOf(int index) {
        if (index < receiveCount) {
            return null;
        }
        return offloadReceives[(index - receiveCount) / OFFLOAD_RECEIVE_STRIDE];
    }

    /** Gives a receive buffer back: to its SRQ, or to the receive queue of the queue pair it came in on. */
    void repostReceive(int index, int qpNumber) {
        OffloadReceiveQueue o = offloadReceivesOf(index);
        if (o != null) {
            o.repost(index);
            return;
        }
        repostToListener(index, qpNumber);
    }

    private synchronized void repostToListener(int index, int qpNumber) {
        if (srq != null) {
            srq.postReceive(receiveRequest(repost, 0, index), 1);
        } else {
            queueReceives.repost(index, qpNumber);
        }
    }

    /** A receive completed: false if its buffer no longer belongs to that queue pair (the capsule is dropped). */
    boolean receiveTaken(int index, int qpNumber) {
        return srq != null || index >= receiveCount || queueReceives.taken(index, qpNumber);
    }

    /** A receive completed in error: the SRQ gets its buffer back; a queue pair's receive queue, in error, does not. */
    void receiveFailed(int index, int qpNumber) {
        if (srq != null || index >= receiveCount) {
            repostReceive(index, qpNumber);
        } else {
            queueReceives.discard(index, qpNumber);
        }
    }

    /** Without the SRQ: the receives a queue pair of {@code entries} gets (see {@link QueueReceives#granted}). */
    int receivesGranted(int entries) {
        return QueueReceives.granted(entries, receiveCount);
    }

    /** Without the SRQ: gives a new queue pair its run of receive buffers, posted; false if none is left. */
    synchronized boolean attachReceives(QueuePair qp, int receives) {
        receiveQueuePairs.put(qp.qpNumber(), qp);
        if (queueReceives.attach(qp.qpNumber(), receives) < 0) {
            receiveQueuePairs.remove(qp.qpNumber());
            return false;
        }
        return true;
    }

    /** Without the SRQ: the queue pair goes to the error state, nothing more is posted to it. */
    void detachReceives(QueuePair qp) {
        if (queueReceives != null) {
            queueReceives.detach(qp.qpNumber());
        }
    }

    /** Without the SRQ: the queue pair is destroyed, its buffers go back to the pool. */
    void releaseReceives(int qpNumber) {
        if (queueReceives != null) {
            queueReceives.release(qpNumber);
            receiveQueuePairs.remove(qpNumber);
        }
    }

    /** Receive buffers given to queue pairs or held by commands (always all of them with the SRQ). */
    int receivesInUse() {
        return queueReceives == null ? srqDepth : queueReceives.inUse();
    }

    /** QueueReceives' poster: called with this object's lock held. */
    private void postToQueuePair(int qpNumber, int index) {
        QueuePair qp = receiveQueuePairs.get(qpNumber);
        if (qp == null) {
            return;
        }
        qp.postReceive(receiveRequest(repost, 0, index), 1);
    }

    /** Fills entry {@code at} of {@code requests} with the receive of buffer {@code index}; returns {@code requests}. */
    private ReceiveWorkRequests receiveRequest(ReceiveWorkRequests requests, int at, int index) {
        requests.get(at).reset().wrId(wrId(RECV, index)).addSge(receiveMr, receiveOffset(index), receiveSize);
        return requests;
    }

    synchronized RdmaSlot takeSlot() {
        if (freeCount == 0) {
            return null;
        }
        peakSlotsInUse = Math.max(peakSlotsInUse, slots.length - freeCount + 1);
        return slots[freeSlots[--freeCount]];
    }

    /** Request slots held by commands now. */
    synchronized int slotsInUse() {
        return slots.length - freeCount;
    }

    /** The most request slots (one per SRQ receive buffer) ever in use at once. */
    synchronized int peakSlotsInUse() {
        return peakSlotsInUse;
    }

    synchronized void releaseSlot(RdmaSlot slot) {
        if (slot.queue != null) {
            slot.queue.slotsHeld.decrementAndGet();
        }
        slot.queue = null;
        buffers.give(slot.buffer);
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
        int heldQp = slot.heldReceiveQp;
        slot.heldReceive = -1;
        releaseSlot(slot);
        if (held >= 0) {
            repostReceive(held, heldQp);
        }
    }

    /**
     * Releases the slot of a command whose post or RDMA READ failed and disconnects its queue: no
     * completion will return that slot, and a queue that cannot post cannot answer its host.
     */
    void releaseSlotAndDisconnect(RdmaSlot slot, String why) {
        RdmaQueue queue = slot.queue;
        releaseSlotOf(slot);
        if (queue != null) {
            queue.disconnect(why);
        }
    }

    Request request(int index) {
        return slots[index].request;
    }

    @Override
    public void close() {
        for (OffloadReceiveQueue o : offloadReceives) {
            o.close();
        }
        for (RdmaSlot s : slots) {
            s.close();
        }
        repost.close();
        responseMr.close();
        buffers.close();
        receiveMr.close();
        if (srq != null) {
            srq.close();
        }
        cq.close();
        cqChannel.close();
        pd.close();
        arena.close();
    }
}
