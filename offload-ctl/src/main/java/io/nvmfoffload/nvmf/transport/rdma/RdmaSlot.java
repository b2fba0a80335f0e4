package io.nvmfoffload.nvmf.transport.rdma;

import io.nvmfoffload.nvmf.core.Request;
import io.nvmfoffload.nvmf.transport.buffer.DataBufferPool;
import io.nvmfoffload.verbs.SendWorkRequests;

/**
 * A request slot with everything it needs prebuilt: a two-entry send chain (RDMA WRITE + SEND)
 * and an RDMA READ request; its data buffer comes from the listener's pool while a command needs one.
 */
final class RdmaSlot {
    final Request request;
    /** The command's data buffer while it holds one, taken back when the slot is released. */
    final DataBufferPool.Buffer buffer = new DataBufferPool.Buffer();
    final SendWorkRequests sendChain = new SendWorkRequests(2, 1);
    final SendWorkRequests read = new SendWorkRequests(1, 1);
    RdmaQueue queue;
    long remoteAddress;
    int remoteKey;
    /** The host asked (keyed SGL subtype Fh) that the response invalidate {@link #remoteKey} remotely. */
    boolean invalidateKey;
    /** The receive buffer this request's in-capsule data lives in, reposted at completion; -1: none. */
    int heldReceive = -1;
    /** The queue pair {@link #heldReceive} came in on (its receive queue gets it back when there is no SRQ). */
    int heldReceiveQp;
    /** The chain {@link SendPosting} posts for this slot: at once, handed off, or in its queue's batch. */
    final SendBatches.Link<RdmaSlot> link = new SendBatches.Link<>(this);
    /** Why a handed-off or batched post failed, for the poller that takes the slot back. */
    String postFailure;

    RdmaSlot(Request request) {
        this.request = request;
    }

    void close() {
        sendChain.close();
        read.close();
    }
}
