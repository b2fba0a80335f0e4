package io.nvmfoffload.offload.emulated;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link HostTransfers} double: records the RDMA READs and responses the engine posts (a copy of
 * each response capsule as it was sent), and refuses posts when told to, at once or at the end of
 * a batch, as a QP in error does. The test plays the QP's completions back into the flow.
 */
final class RecordingTransfers implements HostTransfers {
    /** One response as posted: the slot, the read data sent before it, the Send with Invalidate key, the CQE. */
    record Response(int slot, int dataBytes, boolean invalidate, int remoteKey, Cqe cqe) {}

    /** A completion queue entry as the host receives it: DW0, DW1, SQHD, SQID, CID, status (phase in bit 0). */
    record Cqe(int sqhd, int sqid, int cid, int statusWord) {
        static Cqe of(MemorySegment response) {
            ByteBuffer b = response.asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            return new Cqe(b.getShort(8) & 0xFFFF, b.getShort(10) & 0xFFFF, b.getShort(12) & 0xFFFF, b.getShort(14) & 0xFFFF);
        }

        /** Status Code (bits 8:1 of the status word). */
        int sc() {
            return statusWord >>> 1 & 0xFF;
        }

        /** Do Not Retry (bit 15). */
        boolean dnr() {
            return (statusWord & 0x8000) != 0;
        }
    }

    final List<Integer> reads = new ArrayList<>();
    final List<Response> responses = new ArrayList<>();
    /** The next this many posts are refused at once. */
    int refuseNext;
    /** Posts wait for {@link #flushBatches}, as on the poller. */
    boolean batching;
    /** The batch's posts are refused when flushed. */
    boolean refuseBatch;
    private final List<OffloadedCommand> batched = new ArrayList<>();
    private Refusals refusals;
    boolean closed;

    @Override
    public void onRefused(Refusals handler) {
        this.refusals = handler;
    }

    @Override
    public void readHostData(OffloadedCommand cmd) {
        if (refuse(cmd)) {
            return;
        }
        reads.add(cmd.index);
    }

    @Override
    public void sendResponse(OffloadedCommand cmd, int dataBytes) {
        if (refuse(cmd)) {
            return;
        }
        responses.add(new Response(cmd.index, dataBytes, cmd.invalidateKey, cmd.remoteKey, Cqe.of(cmd.response)));
    }

    private boolean refuse(OffloadedCommand cmd) {
        if (refuseNext > 0) {
            refuseNext--;
            refusals.refused(cmd, new IllegalStateException("QP is in the error state"));
            return true;
        }
        if (batching) {
            batched.add(cmd);
        }
        return false;
    }

    @Override
    public void claimForPoller() {
    }

    @Override
    public boolean hasBatched() {
        return !batched.isEmpty();
    }

    @Override
    public void flushBatches() {
        List<OffloadedCommand> flushed = List.copyOf(batched);
        batched.clear();
        if (refuseBatch) {
            for (OffloadedCommand cmd : flushed) {
                refusals.refused(cmd, new IllegalStateException("ibv_post_send failed"));
            }
        }
    }

    Response lastResponse() {
        return responses.getLast();
    }

    @Override
    public void close() {
        closed = true;
    }
}
