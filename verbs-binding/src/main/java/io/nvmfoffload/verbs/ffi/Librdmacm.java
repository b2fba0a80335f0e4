package io.nvmfoffload.verbs.ffi;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Downcalls to librdmacm. Every function that can fail returns -1 and sets errno, which is captured:
 * read {@link Native#errno()} right after. Loading this class requires librdmacm; check
 * {@link Native#rdmacmFailure()} first.
 */
public final class Librdmacm {
    private Librdmacm() {}

    private static final SymbolLookup LIB = Native.rdmacm();

    private static final LazyHandle CREATE_EVENT_CHANNEL = new LazyHandle(() -> Native.withErrno(LIB, "rdma_create_event_channel",
            FunctionDescriptor.of(ADDRESS)));
    private static final LazyHandle DESTROY_EVENT_CHANNEL = new LazyHandle(() -> Native.plain(LIB, "rdma_destroy_event_channel",
            FunctionDescriptor.ofVoid(ADDRESS)));
    private static final LazyHandle CREATE_ID = new LazyHandle(() -> Native.withErrno(LIB, "rdma_create_id",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT)));
    private static final LazyHandle DESTROY_ID = new LazyHandle(() -> Native.withErrno(LIB, "rdma_destroy_id",
            FunctionDescriptor.of(JAVA_INT, ADDRESS)));
    private static final LazyHandle BIND_ADDR = new LazyHandle(() -> Native.withErrno(LIB, "rdma_bind_addr",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS)));
    private static final LazyHandle RESOLVE_ADDR = new LazyHandle(() -> Native.withErrno(LIB, "rdma_resolve_addr",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT)));
    private static final LazyHandle RESOLVE_ROUTE = new LazyHandle(() -> Native.withErrno(LIB, "rdma_resolve_route",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT)));
    private static final LazyHandle CREATE_QP = new LazyHandle(() -> Native.withErrno(LIB, "rdma_create_qp",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS)));
    private static final LazyHandle DESTROY_QP = new LazyHandle(() -> Native.plain(LIB, "rdma_destroy_qp",
            FunctionDescriptor.ofVoid(ADDRESS)));
    private static final LazyHandle CONNECT = new LazyHandle(() -> Native.withErrno(LIB, "rdma_connect",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS)));
    private static final LazyHandle LISTEN = new LazyHandle(() -> Native.withErrno(LIB, "rdma_listen",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT)));
    private static final LazyHandle ACCEPT = new LazyHandle(() -> Native.withErrno(LIB, "rdma_accept",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS)));
    private static final LazyHandle REJECT = new LazyHandle(() -> Native.withErrno(LIB, "rdma_reject",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_BYTE)));
    private static final LazyHandle DISCONNECT = new LazyHandle(() -> Native.withErrno(LIB, "rdma_disconnect",
            FunctionDescriptor.of(JAVA_INT, ADDRESS)));
    private static final LazyHandle GET_CM_EVENT = new LazyHandle(() -> Native.withErrno(LIB, "rdma_get_cm_event",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS)));
    private static final LazyHandle ACK_CM_EVENT = new LazyHandle(() -> Native.withErrno(LIB, "rdma_ack_cm_event",
            FunctionDescriptor.of(JAVA_INT, ADDRESS)));
    private static final LazyHandle SET_OPTION = new LazyHandle(() -> Native.withErrno(LIB, "rdma_set_option",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG)));
    private static final LazyHandle MIGRATE_ID = new LazyHandle(() -> Native.withErrno(LIB, "rdma_migrate_id",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS)));

    public static MemorySegment rdma_create_event_channel() {
        try {
            return (MemorySegment) CREATE_EVENT_CHANNEL.get().invokeExact(Native.captureState());
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static void rdma_destroy_event_channel(MemorySegment channel) {
        try {
            DESTROY_EVENT_CHANNEL.get().invokeExact(channel);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static int rdma_create_id(MemorySegment channel, MemorySegment idOut, MemorySegment context, int portSpace) {
        try {
            return (int) CREATE_ID.get().invokeExact(Native.captureState(), channel, idOut, context, portSpace);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static int rdma_destroy_id(MemorySegment id) {
        try {
            return (int) DESTROY_ID.get().invokeExact(Native.captureState(), id);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static int rdma_bind_addr(MemorySegment id, MemorySegment addr) {
        try {
            return (int) BIND_ADDR.get().invokeExact(Native.captureState(), id, addr);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static int rdma_resolve_addr(MemorySegment id, MemorySegment src, MemorySegment dst, int timeoutMs) {
        try {
            return (int) RESOLVE_ADDR.get().invokeExact(Native.captureState(), id, src, dst, timeoutMs);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static int rdma_resolve_route(MemorySegment id, int timeoutMs) {
        try {
            return (int) RESOLVE_ROUTE.get().invokeExact(Native.captureState(), id, timeoutMs);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static int rdma_create_qp(MemorySegment id, MemorySegment pd, MemorySegment initAttr) {
        try {
            return (int) CREATE_QP.get().invokeExact(Native.captureState(), id, pd, initAttr);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static void rdma_destroy_qp(MemorySegment id) {
        try {
            DESTROY_QP.get().invokeExact(id);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static int rdma_connect(MemorySegment id, MemorySegment connParam) {
        try {
            return (int) CONNECT.get().invokeExact(Native.captureState(), id, connParam);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static int rdma_listen(MemorySegment id, int backlog) {
        try {
            return (int) LISTEN.get().invokeExact(Native.captureState(), id, backlog);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static int rdma_accept(MemorySegment id, MemorySegment connParam) {
        try {
            return (int) ACCEPT.get().invokeExact(Native.captureState(), id, connParam);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static int rdma_reject(MemorySegment id, MemorySegment privateData, byte privateDataLen) {
        try {
            return (int) REJECT.get().invokeExact(Native.captureState(), id, privateData, privateDataLen);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static int rdma_disconnect(MemorySegment id) {
        try {
            return (int) DISCONNECT.get().invokeExact(Native.captureState(), id);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static int rdma_get_cm_event(MemorySegment channel, MemorySegment eventOut) {
        try {
            return (int) GET_CM_EVENT.get().invokeExact(Native.captureState(), channel, eventOut);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static int rdma_ack_cm_event(MemorySegment event) {
        try {
            return (int) ACK_CM_EVENT.get().invokeExact(Native.captureState(), event);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static int rdma_set_option(MemorySegment id, int level, int optname, MemorySegment optval, long optlen) {
        try {
            return (int) SET_OPTION.get().invokeExact(Native.captureState(), id, level, optname, optval, optlen);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static int rdma_migrate_id(MemorySegment id, MemorySegment channel) {
        try {
            return (int) MIGRATE_ID.get().invokeExact(Native.captureState(), id, channel);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
