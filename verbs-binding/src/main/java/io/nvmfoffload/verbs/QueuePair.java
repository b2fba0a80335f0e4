package io.nvmfoffload.verbs;

import io.nvmfoffload.verbs.ffi.CLayouts;
import io.nvmfoffload.verbs.ffi.IbvLayouts;
import io.nvmfoffload.verbs.ffi.Libibverbs;
import io.nvmfoffload.verbs.ffi.Native;
import io.nvmfoffload.verbs.ffi.StructView;
import io.nvmfoffload.verbs.ffi.Unscoped;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * {@code struct ibv_qp}. Posting goes through the provider's {@code ops.post_send} /
 * {@code ops.post_recv} exactly as the static inline ibv_post_send / ibv_post_recv do, with work
 * requests prepared in reusable native arrays; a successful post allocates nothing.
 *
 * <p>Posting sends and posting receives may happen on two threads; two threads must not post sends
 * (or receives) to the same QP at once.
 */
public final class QueuePair extends NativeResource {
    private final ProtectionDomain pd;
    private final DeviceContext context;
    private final MemorySegment qp;
    private final int qpNumber;
    private final QpInitAttributes attributes;
    private final QpCapabilities capabilities;
    private final Runnable destroy;
    private final MemorySegment postSendFn;
    private final MemorySegment postRecvFn;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment badSend = Unscoped.view(arena.allocate(ADDRESS));
    private final MemorySegment badRecv = Unscoped.view(arena.allocate(ADDRESS));

    QueuePair(ProtectionDomain pd, QpInitAttributes attributes, QpCapabilities capabilities, MemorySegment qp,
              NativeResource owner, Runnable destroy) {
        super("QP", pd, attributes.sendCq(), attributes.recvCq(), attributes.sharedReceiveQueue(), owner);
        this.pd = pd;
        this.context = pd.context();
        this.qp = qp.reinterpret(IbvLayouts.IBV_QP.byteSize());
        this.qpNumber = this.qp.get(JAVA_INT, CLayouts.offset(IbvLayouts.IBV_QP, "qp_num"));
        this.attributes = attributes;
        this.capabilities = capabilities;
        this.destroy = destroy;
        this.postSendFn = context.postSendFn;
        this.postRecvFn = context.postRecvFn;
        context.queuePairs.put(this.qp.address(), this);
    }

    /**
     * Wraps a QP that another library created on this PD, such as {@code rdma_create_qp}; it is
     * destroyed with {@code destroy} and depends on {@code owner} (e.g. the CM id), if given.
     */
    public static QueuePair adopt(ProtectionDomain pd, QpInitAttributes attributes, QpCapabilities capabilities,
                                  MemorySegment ibvQp, NativeResource owner, Runnable destroy) {
        return new QueuePair(pd, attributes, capabilities, ibvQp, owner, destroy);
    }

    public int qpNumber() {
        return qpNumber;
    }

    public ProtectionDomain protectionDomain() {
        return pd;
    }

    public DeviceContext context() {
        return context;
    }

    public CompletionQueue sendCq() {
        return attributes.sendCq();
    }

    public CompletionQueue recvCq() {
        return attributes.recvCq();
    }

    /** The SRQ receives come from, or null. */
    public SharedReceiveQueue sharedReceiveQueue() {
        return attributes.sharedReceiveQueue();
    }

    public QpCapabilities capabilities() {
        return capabilities;
    }

    /** The {@code struct ibv_qp *}. Never free it. */
    public MemorySegment nativeHandle() {
        return qp;
    }

    @Override
    public String describe() {
        return "QP 0x" + Integer.toHexString(qpNumber) + " on " + context.name();
    }

    /** Posts entries [0, count) of {@code requests} as one chain. */
    public void postSend(SendWorkRequests requests, int count) {
        postSend(requests, 0, count);
    }

    /** Posts entries [first, first+count) of {@code requests} as one chain, in one call. */
    public void postSend(SendWorkRequests requests, int first, int count) {
        if (isClosed()) {
            requireOpen();
        }
        MemorySegment chain = requests.chain(first, count);
        int rc = Libibverbs.post_send(postSendFn, qp, chain, badSend);
        if (rc != 0) {
            throw postFailure("ibv_post_send", rc, requests.indexOf(badSend.get(ADDRESS, 0).address()), first, count);
        }
    }

    /**
     * Posts the list that starts at entry {@code first} of {@code head} as
     * {@link SendWorkRequests#link} left it, possibly through several arrays, in one call. On
     * failure the work requests before {@link #badSendAddress()} were posted, that one and the
     * rest were not.
     */
    public void postSendLinked(SendWorkRequests head, int first) {
        if (isClosed()) {
            requireOpen();
        }
        int rc = Libibverbs.post_send(postSendFn, qp, head.linked(first), badSend);
        if (rc != 0) {
            throw new VerbsException("ibv_post_send", Native.errnoOf(rc), "a linked list of work requests on " + describe());
        }
    }

    /** After a failed post of sends: the native address of the first work request that was not posted. */
    public long badSendAddress() {
        return badSend.get(ADDRESS, 0).address();
    }

    /** Posts receives [0, count) of {@code requests}. */
    public void postReceive(ReceiveWorkRequests requests, int count) {
        postReceive(requests, 0, count);
    }

    public void postReceive(ReceiveWorkRequests requests, int first, int count) {
        if (isClosed()) {
            requireOpen();
        }
        if (attributes.sharedReceiveQueue() != null) {
            throw new IllegalStateException(describe() + " takes its receives from an SRQ; post them there");
        }
        MemorySegment chain = requests.chain(first, count);
        int rc = Libibverbs.post_recv(postRecvFn, qp, chain, badRecv);
        if (rc != 0) {
            throw postFailure("ibv_post_recv", rc, requests.indexOf(badRecv.get(ADDRESS, 0).address()), first, count);
        }
    }

    private VerbsException postFailure(String verb, int rc, int badIndex, int first, int count) {
        String which = badIndex < 0 ? "" : "work request " + badIndex + " (" + (badIndex - first + 1) + " of " + count + " posted) ";
        return new VerbsException(verb, Native.errnoOf(rc), which + "on " + describe());
    }

    /** {@code ibv_modify_qp}. */
    public void modify(QpModification modification) {
        requireOpen();
        try (Arena a = Arena.ofConfined()) {
            StructView attr = StructView.allocate(a, IbvLayouts.IBV_QP_ATTR);
            modification.writeTo(attr);
            int rc = Libibverbs.ibv_modify_qp(qp, attr.segment(), modification.mask());
            if (rc != 0) {
                throw new VerbsException("ibv_modify_qp", Native.errnoOf(rc), modification + " on " + describe());
            }
        }
    }

    /** Moves the QP to the error state: outstanding work completes with IBV_WC_WR_FLUSH_ERR. */
    public void modifyToError() {
        modify(QpModification.toState(QpState.ERR));
    }

    /** {@code ibv_query_qp} of every attribute. */
    public QpInfo query() {
        requireOpen();
        try (Arena a = Arena.ofConfined()) {
            StructView attr = StructView.allocate(a, IbvLayouts.IBV_QP_ATTR);
            MemorySegment init = a.allocate(IbvLayouts.IBV_QP_INIT_ATTR);
            int everything = (1 << 21) - 1;
            int rc = Libibverbs.ibv_query_qp(qp, attr.segment(), everything, init);
            if (rc != 0) {
                throw new VerbsException("ibv_query_qp", Native.errnoOf(rc), describe());
            }
            return QpInfo.from(attr);
        }
    }

    public QpState state() {
        return query().state();
    }

    @Override
    protected void release() {
        if (destroy != null) {
            destroy.run();
        } else {
            int rc = Libibverbs.ibv_destroy_qp(qp);
            if (rc != 0) {
                throw new VerbsException("ibv_destroy_qp", Native.errnoOf(rc), describe());
            }
        }
        context.queuePairs.remove(qp.address(), this);
        arena.close();
    }
}
