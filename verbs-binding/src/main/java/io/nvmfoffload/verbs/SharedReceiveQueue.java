package io.nvmfoffload.verbs;

import io.nvmfoffload.verbs.ffi.IbvLayouts;
import io.nvmfoffload.verbs.ffi.Libibverbs;
import io.nvmfoffload.verbs.ffi.Native;
import io.nvmfoffload.verbs.ffi.NativeConstants;
import io.nvmfoffload.verbs.ffi.StructView;
import io.nvmfoffload.verbs.ffi.Unscoped;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.ADDRESS;

/**
 * {@code struct ibv_srq}: receives shared by several QPs. When armed with a limit, the device raises
 * IBV_EVENT_SRQ_LIMIT_REACHED (to the context's async listeners) once fewer receives remain, and
 * disarms itself.
 */
public final class SharedReceiveQueue extends NativeResource {
    private final ProtectionDomain pd;
    private final DeviceContext context;
    private final MemorySegment srq;
    private final int maxWr;
    private final int maxSge;
    private final MemorySegment postFn;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment badRecv = Unscoped.view(arena.allocate(ADDRESS));

    SharedReceiveQueue(ProtectionDomain pd, MemorySegment srq, int maxWr, int maxSge) {
        super("SRQ", pd);
        this.pd = pd;
        this.context = pd.context();
        this.srq = srq.reinterpret(IbvLayouts.IBV_SRQ.byteSize());
        this.maxWr = maxWr;
        this.maxSge = maxSge;
        this.postFn = context.postSrqRecvFn;
        context.sharedReceiveQueues.put(this.srq.address(), this);
    }

    public ProtectionDomain protectionDomain() {
        return pd;
    }

    /** Receives the SRQ can hold (as granted, at least what was asked). */
    public int maxWr() {
        return maxWr;
    }

    public int maxSge() {
        return maxSge;
    }

    /** The {@code struct ibv_srq *}. Never free it. */
    public MemorySegment nativeHandle() {
        return srq;
    }

    @Override
    public String describe() {
        return "SRQ 0x" + Long.toHexString(srq.address()) + " (" + maxWr + " WRs) on " + context.name();
    }

    public void postReceive(ReceiveWorkRequests requests, int count) {
        postReceive(requests, 0, count);
    }

    /** Posts receives [first, first+count) through {@code ops.post_srq_recv}, as ibv_post_srq_recv does. */
    public void postReceive(ReceiveWorkRequests requests, int first, int count) {
        if (isClosed()) {
            requireOpen();
        }
        MemorySegment chain = requests.chain(first, count);
        int rc = Libibverbs.post_srq_recv(postFn, srq, chain, badRecv);
        if (rc != 0) {
            int bad = requests.indexOf(badRecv.get(ADDRESS, 0).address());
            throw new VerbsException("ibv_post_srq_recv", Native.errnoOf(rc),
                    (bad < 0 ? "" : "work request " + bad + " ") + "on " + describe());
        }
    }

    /** Arms the limit event: raised once when fewer than {@code limit} receives remain. */
    public void armLimit(int limit) {
        requireOpen();
        try (Arena a = Arena.ofConfined()) {
            StructView attr = StructView.allocate(a, IbvLayouts.IBV_SRQ_ATTR).setS32("srq_limit", limit);
            int rc = Libibverbs.ibv_modify_srq(srq, attr.segment(), NativeConstants.IBV_SRQ_LIMIT);
            if (rc != 0) {
                throw new VerbsException("ibv_modify_srq", Native.errnoOf(rc), "limit " + limit + " on " + describe());
            }
        }
    }

    /** {@code ibv_query_srq}: current max_wr, max_sge and armed limit (0 once the event fired). */
    public SrqAttributes query() {
        requireOpen();
        try (Arena a = Arena.ofConfined()) {
            StructView attr = StructView.allocate(a, IbvLayouts.IBV_SRQ_ATTR);
            int rc = Libibverbs.ibv_query_srq(srq, attr.segment());
            if (rc != 0) {
                throw new VerbsException("ibv_query_srq", Native.errnoOf(rc), describe());
            }
            return new SrqAttributes(attr.s32("max_wr"), attr.s32("max_sge"), attr.s32("srq_limit"));
        }
    }

    /** {@code struct ibv_srq_attr}. */
    public record SrqAttributes(int maxWr, int maxSge, int limit) {}

    @Override
    protected void release() {
        int rc = Libibverbs.ibv_destroy_srq(srq);
        if (rc != 0) {
            throw new VerbsException("ibv_destroy_srq", Native.errnoOf(rc), describe());
        }
        context.sharedReceiveQueues.remove(srq.address(), this);
        arena.close();
    }
}
