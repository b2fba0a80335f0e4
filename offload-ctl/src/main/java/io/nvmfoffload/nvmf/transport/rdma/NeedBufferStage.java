package io.nvmfoffload.nvmf.transport.rdma;

import io.nvmfoffload.nvmf.core.DataDirection;
import io.nvmfoffload.nvmf.core.RequestState;
import io.nvmfoffload.nvmf.transport.buffer.DataBufferPool;

import java.lang.foreign.MemorySegment;
import java.util.function.Consumer;

/**
 * The NEED_BUFFER step of a request with a keyed SGL: it takes a buffer from the listener's
 * {@link DataBufferPool} and goes on at once (a write fetches the host's data with RDMA READ, any
 * other command runs), or waits in order ({@link BufferWaits}) until buffers come back; a waiting
 * command whose queue was torn down gives its request slot back. Poller thread only.
 */
final class NeedBufferStage {
    private final RdmaResources resources;
    private final BufferWaits waits;
    private final Consumer<RdmaSlot> ready;

    /** @param ready runs a command whose data is in place */
    NeedBufferStage(RdmaResources resources, Consumer<RdmaSlot> ready) {
        this.resources = resources;
        this.waits = new BufferWaits(resources.slots.length);
        this.ready = ready;
    }

    /** The slot's command moves {@code length} bytes (up to the port's max_io_size): it goes on now, or waits behind the others. */
    void need(RdmaSlot slot, int length) {
        if (length == 0) {
            slot.request.data(MemorySegment.NULL);
            ready.accept(slot);
            return;
        }
        int index = slot.request.slot();
        if (!waits.isEmpty() || start(index, length) != DataBufferPool.Take.TAKEN) {
            waits.add(index, length);
        }
    }

    /** Starts or drops waiting commands as buffers came back; returns how many left the wait. */
    int serve() {
        return waits.isEmpty() ? 0 : waits.serve(this::dropIfGone, this::start);
    }

    boolean isEmpty() {
        return waits.isEmpty();
    }

    /** The most commands that ever waited for a buffer at once. */
    int peakWaiting() {
        return waits.peak();
    }

    private DataBufferPool.Take start(int index, int length) {
        RdmaSlot slot = resources.slots[index];
        DataBufferPool.Take t = resources.buffers.take(slot.buffer, slot.queue.buffers, length);
        if (t == DataBufferPool.Take.TAKEN) {
            slot.request.data(slot.buffer.segment());
            transfer(slot);
        }
        return t;
    }

    private void transfer(RdmaSlot slot) {
        if (slot.request.direction() != DataDirection.HOST_TO_CONTROLLER) {
            ready.accept(slot);
            return;
        }
        slot.request.transition(RequestState.TRANSFERRING_HOST_TO_CONTROLLER);
        try {
            slot.queue.readFromHost(slot, (int) slot.request.dataLength());
        } catch (RuntimeException e) {
            resources.releaseSlotAndDisconnect(slot, "posting an RDMA READ failed: " + e.getMessage());
        }
    }

    private boolean dropIfGone(int index) {
        RdmaSlot slot = resources.slots[index];
        if (!slot.queue.tornDown) {
            return false;
        }
        resources.releaseSlotOf(slot);
        return true;
    }
}
