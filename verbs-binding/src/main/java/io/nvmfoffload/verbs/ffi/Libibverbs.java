package io.nvmfoffload.verbs.ffi;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Downcalls to libibverbs. Exported functions are bound by name; the verbs that verbs.h defines as
 * static inline (post_send, post_recv, post_srq_recv, poll_cq, req_notify_cq, and the extended
 * query_port / query_device_ex) are called through the provider's function pointers, which the
 * callers read from {@code ibv_context.ops} or {@code struct verbs_context} (see {@link IbvLayouts}).
 *
 * <p>Functions that report failure through errno capture it: read {@link Native#errno()} right after.
 * Loading this class requires libibverbs; check {@link Native#ibverbsFailure()} first.
 */
public final class Libibverbs {
    private Libibverbs() {}

    private static final SymbolLookup LIB = Native.ibverbs();

    private static final LazyHandle GET_DEVICE_LIST = new LazyHandle(() -> Native.withErrno(LIB, "ibv_get_device_list",
            FunctionDescriptor.of(ADDRESS, ADDRESS)));
    private static final LazyHandle FREE_DEVICE_LIST = new LazyHandle(() -> Native.plain(LIB, "ibv_free_device_list",
            FunctionDescriptor.ofVoid(ADDRESS)));
    private static final LazyHandle GET_DEVICE_GUID = new LazyHandle(() -> Native.plain(LIB, "ibv_get_device_guid",
            FunctionDescriptor.of(JAVA_LONG, ADDRESS)));
    private static final LazyHandle OPEN_DEVICE = new LazyHandle(() -> Native.withErrno(LIB, "ibv_open_device",
            FunctionDescriptor.of(ADDRESS, ADDRESS)));
    private static final LazyHandle CLOSE_DEVICE = new LazyHandle(() -> Native.withErrno(LIB, "ibv_close_device",
            FunctionDescriptor.of(JAVA_INT, ADDRESS)));
    private static final LazyHandle QUERY_DEVICE = new LazyHandle(() -> Native.withErrno(LIB, "ibv_query_device",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS)));
    private static final LazyHandle QUERY_PORT_COMPAT = new LazyHandle(() -> Native.withErrno(LIB, "ibv_query_port",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_BYTE, ADDRESS)));
    private static final LazyHandle QUERY_GID = new LazyHandle(() -> Native.withErrno(LIB, "ibv_query_gid",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_BYTE, JAVA_INT, ADDRESS)));
    private static final Optional<MethodHandle> QUERY_GID_EX = Native.optional(LIB, "_ibv_query_gid_ex",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG));
    private static final Optional<MethodHandle> QUERY_GID_TABLE = Native.optional(LIB, "_ibv_query_gid_table",
            FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_LONG));
    private static final LazyHandle ALLOC_PD = new LazyHandle(() -> Native.withErrno(LIB, "ibv_alloc_pd",
            FunctionDescriptor.of(ADDRESS, ADDRESS)));
    private static final LazyHandle DEALLOC_PD = new LazyHandle(() -> Native.withErrno(LIB, "ibv_dealloc_pd",
            FunctionDescriptor.of(JAVA_INT, ADDRESS)));
    private static final LazyHandle REG_MR = new LazyHandle(() -> Native.withErrno(LIB, "ibv_reg_mr",
            FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT)));
    private static final LazyHandle REG_MR_IOVA2 = new LazyHandle(() -> Native.withErrno(LIB, "ibv_reg_mr_iova2",
            FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT)));
    private static final LazyHandle DEREG_MR = new LazyHandle(() -> Native.withErrno(LIB, "ibv_dereg_mr",
            FunctionDescriptor.of(JAVA_INT, ADDRESS)));
    private static final LazyHandle CREATE_COMP_CHANNEL = new LazyHandle(() -> Native.withErrno(LIB, "ibv_create_comp_channel",
            FunctionDescriptor.of(ADDRESS, ADDRESS)));
    private static final LazyHandle DESTROY_COMP_CHANNEL = new LazyHandle(() -> Native.withErrno(LIB, "ibv_destroy_comp_channel",
            FunctionDescriptor.of(JAVA_INT, ADDRESS)));
    private static final LazyHandle CREATE_CQ = new LazyHandle(() -> Native.withErrno(LIB, "ibv_create_cq",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT)));
    private static final LazyHandle DESTROY_CQ = new LazyHandle(() -> Native.withErrno(LIB, "ibv_destroy_cq",
            FunctionDescriptor.of(JAVA_INT, ADDRESS)));
    private static final LazyHandle GET_CQ_EVENT = new LazyHandle(() -> Native.withErrno(LIB, "ibv_get_cq_event",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS)));
    private static final LazyHandle ACK_CQ_EVENTS = new LazyHandle(() -> Native.plain(LIB, "ibv_ack_cq_events",
            FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT)));
    private static final LazyHandle CREATE_SRQ = new LazyHandle(() -> Native.withErrno(LIB, "ibv_create_srq",
            FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS)));
    private static final LazyHandle MODIFY_SRQ = new LazyHandle(() -> Native.withErrno(LIB, "ibv_modify_srq",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT)));
    private static final LazyHandle QUERY_SRQ = new LazyHandle(() -> Native.withErrno(LIB, "ibv_query_srq",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS)));
    private static final LazyHandle DESTROY_SRQ = new LazyHandle(() -> Native.withErrno(LIB, "ibv_destroy_srq",
            FunctionDescriptor.of(JAVA_INT, ADDRESS)));
    private static final LazyHandle CREATE_QP = new LazyHandle(() -> Native.withErrno(LIB, "ibv_create_qp",
            FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS)));
    private static final LazyHandle MODIFY_QP = new LazyHandle(() -> Native.withErrno(LIB, "ibv_modify_qp",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT)));
    private static final LazyHandle QUERY_QP = new LazyHandle(() -> Native.withErrno(LIB, "ibv_query_qp",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS)));
    private static final LazyHandle DESTROY_QP = new LazyHandle(() -> Native.withErrno(LIB, "ibv_destroy_qp",
            FunctionDescriptor.of(JAVA_INT, ADDRESS)));
    private static final LazyHandle GET_ASYNC_EVENT = new LazyHandle(() -> Native.withErrno(LIB, "ibv_get_async_event",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS)));
    private static final LazyHandle ACK_ASYNC_EVENT = new LazyHandle(() -> Native.plain(LIB, "ibv_ack_async_event",
            FunctionDescriptor.ofVoid(ADDRESS)));

    /**
     * Calls through the provider's function pointers (first argument: the pointer). A holder class,
     * so that programs that never post or poll do not link them, while for those that do they are
     * constants the JIT inlines through.
     *
     * <p>poll_cq is linked {@code critical} (no Java-to-native thread-state transition): it never
     * blocks, makes no system call, and is called in tight loops. The posts and req_notify_cq stay
     * ordinary downcalls: on rxe post_send and req_notify_cq make a system call (the doorbell
     * write), and a GC must not wait behind one.
     */
    private static final class Ops {
        static final MethodHandle POST_SEND = Native.functionPointer(
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        static final MethodHandle POST_RECV = POST_SEND;
        static final MethodHandle POLL_CQ = Native.functionPointer(
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS), Linker.Option.critical(false));
        static final MethodHandle REQ_NOTIFY_CQ = Native.functionPointer(
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    }

    private static final LazyHandle VCTX_QUERY_PORT = new LazyHandle(() -> Native.functionPointer(
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_BYTE, ADDRESS, JAVA_LONG)));
    private static final LazyHandle VCTX_QUERY_DEVICE_EX = new LazyHandle(() -> Native.functionPointer(
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG)));

    public static MemorySegment ibv_get_device_list(MemorySegment numDevices) {
        try {
            return (MemorySegment) GET_DEVICE_LIST.get().invokeExact(Native.captureState(), numDevices);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static void ibv_free_device_list(MemorySegment list) {
        try {
            FREE_DEVICE_LIST.get().invokeExact(list);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** The node GUID as C returns it: big-endian bytes in a little-endian long. */
    public static long ibv_get_device_guid(MemorySegment device) {
        try {
            return (long) GET_DEVICE_GUID.get().invokeExact(device);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static MemorySegment ibv_open_device(MemorySegment device) {
        try {
            return (MemorySegment) OPEN_DEVICE.get().invokeExact(Native.captureState(), device);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static int ibv_close_device(MemorySegment context) {
        try {
            return (int) CLOSE_DEVICE.get().invokeExact(Native.captureState(), context);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static int ibv_query_device(MemorySegment context, MemorySegment attr) {
        try {
            return (int) QUERY_DEVICE.get().invokeExact(Native.captureState(), context, attr);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** The exported compat entry point; only for providers without {@code verbs_context.query_port}. */
    public static int ibv_query_port_compat(MemorySegment context, byte port, MemorySegment attr) {
        try {
            return (int) QUERY_PORT_COMPAT.get().invokeExact(Native.captureState(), context, port, attr);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static int ibv_query_gid(MemorySegment context, byte port, int index, MemorySegment gid) {
        try {
            return (int) QUERY_GID.get().invokeExact(Native.captureState(), context, port, index, gid);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static boolean hasQueryGidEx() {
        return QUERY_GID_EX.isPresent();
    }

    /** Returns 0 or an errno value (ENODATA for an empty table entry). */
    public static int _ibv_query_gid_ex(MemorySegment context, int port, int index, MemorySegment entry, int flags, long entrySize) {
        try {
            return (int) QUERY_GID_EX.orElseThrow().invokeExact(context, port, index, entry, flags, entrySize);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static boolean hasQueryGidTable() {
        return QUERY_GID_TABLE.isPresent();
    }

    /** Every valid GID entry of every port in one call; returns the count or a negative errno. */
    public static long _ibv_query_gid_table(MemorySegment context, MemorySegment entries, long maxEntries, int flags, long entrySize) {
        try {
            return (long) QUERY_GID_TABLE.orElseThrow().invokeExact(context, entries, maxEntries, flags, entrySize);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static MemorySegment ibv_alloc_pd(MemorySegment context) {
        try {
            return (MemorySegment) ALLOC_PD.get().invokeExact(Native.captureState(), context);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static int ibv_dealloc_pd(MemorySegment pd) {
        try {
            return (int) DEALLOC_PD.get().invokeExact(Native.captureState(), pd);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Mirrors the ibv_reg_mr macro: optional access bits need the iova2 entry point. */
    public static MemorySegment ibv_reg_mr(MemorySegment pd, MemorySegment addr, long length, int access) {
        try {
            if ((access & NativeConstants.IBV_ACCESS_OPTIONAL_RANGE) == 0) {
                return (MemorySegment) REG_MR.get().invokeExact(Native.captureState(), pd, addr, length, access);
            }
            return (MemorySegment) REG_MR_IOVA2.get().invokeExact(Native.captureState(), pd, addr, length, addr.address(), access);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static int ibv_dereg_mr(MemorySegment mr) {
        try {
            return (int) DEREG_MR.get().invokeExact(Native.captureState(), mr);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static MemorySegment ibv_create_comp_channel(MemorySegment context) {
        try {
            return (MemorySegment) CREATE_COMP_CHANNEL.get().invokeExact(Native.captureState(), context);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static int ibv_destroy_comp_channel(MemorySegment channel) {
        try {
            return (int) DESTROY_COMP_CHANNEL.get().invokeExact(Native.captureState(), channel);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static MemorySegment ibv_create_cq(MemorySegment context, int cqe, MemorySegment cqContext, MemorySegment channel, int compVector) {
        try {
            return (MemorySegment) CREATE_CQ.get().invokeExact(Native.captureState(), context, cqe, cqContext, channel, compVector);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static int ibv_destroy_cq(MemorySegment cq) {
        try {
            return (int) DESTROY_CQ.get().invokeExact(Native.captureState(), cq);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static int ibv_get_cq_event(MemorySegment channel, MemorySegment cqOut, MemorySegment cqContextOut) {
        try {
            return (int) GET_CQ_EVENT.get().invokeExact(Native.captureState(), channel, cqOut, cqContextOut);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static void ibv_ack_cq_events(MemorySegment cq, int events) {
        try {
            ACK_CQ_EVENTS.get().invokeExact(cq, events);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static MemorySegment ibv_create_srq(MemorySegment pd, MemorySegment initAttr) {
        try {
            return (MemorySegment) CREATE_SRQ.get().invokeExact(Native.captureState(), pd, initAttr);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static int ibv_modify_srq(MemorySegment srq, MemorySegment attr, int mask) {
        try {
            return (int) MODIFY_SRQ.get().invokeExact(Native.captureState(), srq, attr, mask);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static int ibv_query_srq(MemorySegment srq, MemorySegment attr) {
        try {
            return (int) QUERY_SRQ.get().invokeExact(Native.captureState(), srq, attr);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static int ibv_destroy_srq(MemorySegment srq) {
        try {
            return (int) DESTROY_SRQ.get().invokeExact(Native.captureState(), srq);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static MemorySegment ibv_create_qp(MemorySegment pd, MemorySegment initAttr) {
        try {
            return (MemorySegment) CREATE_QP.get().invokeExact(Native.captureState(), pd, initAttr);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static int ibv_modify_qp(MemorySegment qp, MemorySegment attr, int mask) {
        try {
            return (int) MODIFY_QP.get().invokeExact(Native.captureState(), qp, attr, mask);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static int ibv_query_qp(MemorySegment qp, MemorySegment attr, int mask, MemorySegment initAttr) {
        try {
            return (int) QUERY_QP.get().invokeExact(Native.captureState(), qp, attr, mask, initAttr);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static int ibv_destroy_qp(MemorySegment qp) {
        try {
            return (int) DESTROY_QP.get().invokeExact(Native.captureState(), qp);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static int ibv_get_async_event(MemorySegment context, MemorySegment event) {
        try {
            return (int) GET_ASYNC_EVENT.get().invokeExact(Native.captureState(), context, event);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static void ibv_ack_async_event(MemorySegment event) {
        try {
            ACK_ASYNC_EVENT.get().invokeExact(event);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code qp->context->ops.post_send(qp, wr, bad_wr)}; returns 0 or an errno value. */
    public static int post_send(MemorySegment fn, MemorySegment qp, MemorySegment wr, MemorySegment badWr) {
        try {
            return (int) Ops.POST_SEND.invokeExact(fn, qp, wr, badWr);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code qp->context->ops.post_recv(qp, wr, bad_wr)}; returns 0 or an errno value. */
    public static int post_recv(MemorySegment fn, MemorySegment qp, MemorySegment wr, MemorySegment badWr) {
        try {
            return (int) Ops.POST_RECV.invokeExact(fn, qp, wr, badWr);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code srq->context->ops.post_srq_recv(srq, wr, bad_wr)}; returns 0 or an errno value. */
    public static int post_srq_recv(MemorySegment fn, MemorySegment srq, MemorySegment wr, MemorySegment badWr) {
        try {
            return (int) Ops.POST_RECV.invokeExact(fn, srq, wr, badWr);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code cq->context->ops.poll_cq(cq, n, wc)}; returns the number polled or a negative value. */
    public static int poll_cq(MemorySegment fn, MemorySegment cq, int entries, MemorySegment wc) {
        try {
            return (int) Ops.POLL_CQ.invokeExact(fn, cq, entries, wc);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code cq->context->ops.req_notify_cq(cq, solicited_only)}; returns 0 or an errno value. */
    public static int req_notify_cq(MemorySegment fn, MemorySegment cq, int solicitedOnly) {
        try {
            return (int) Ops.REQ_NOTIFY_CQ.invokeExact(fn, cq, solicitedOnly);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code vctx->query_port(context, port, attr, sizeof(*attr))}. */
    public static int verbs_query_port(MemorySegment fn, MemorySegment context, byte port, MemorySegment attr, long attrSize) {
        try {
            return (int) VCTX_QUERY_PORT.get().invokeExact(fn, context, port, attr, attrSize);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code vctx->query_device_ex(context, input, attr, sizeof(*attr))}. */
    public static int verbs_query_device_ex(MemorySegment fn, MemorySegment context, MemorySegment input, MemorySegment attr, long attrSize) {
        try {
            return (int) VCTX_QUERY_DEVICE_EX.get().invokeExact(fn, context, input, attr, attrSize);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
