package io.nvmfoffload.verbs.cm;

import io.nvmfoffload.verbs.Errno;
import io.nvmfoffload.verbs.NativeResource;
import io.nvmfoffload.verbs.Verbs;
import io.nvmfoffload.verbs.VerbsException;
import io.nvmfoffload.verbs.ffi.CLayouts;
import io.nvmfoffload.verbs.ffi.CmLayouts;
import io.nvmfoffload.verbs.ffi.Libc;
import io.nvmfoffload.verbs.ffi.LibcLayouts;
import io.nvmfoffload.verbs.ffi.Librdmacm;
import io.nvmfoffload.verbs.ffi.Native;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * {@code struct rdma_event_channel}: where the CM events of its ids arrive. Events are copied into
 * {@link CmEvent} and acknowledged at once, so an id can always be destroyed (rdma_destroy_id waits
 * for its events to be acknowledged). One thread at a time should read a channel.
 */
public final class CmEventChannel extends NativeResource {
    private static final long CONN_PRIVATE_DATA = CLayouts.offset(CmLayouts.RDMA_CONN_PARAM, "private_data");
    private static final long CONN_PRIVATE_DATA_LEN = CLayouts.offset(CmLayouts.RDMA_CONN_PARAM, "private_data_len");
    private static final long CONN_RESPONDER_RESOURCES = CLayouts.offset(CmLayouts.RDMA_CONN_PARAM, "responder_resources");
    private static final long CONN_INITIATOR_DEPTH = CLayouts.offset(CmLayouts.RDMA_CONN_PARAM, "initiator_depth");
    private static final long CONN_RETRY_COUNT = CLayouts.offset(CmLayouts.RDMA_CONN_PARAM, "retry_count");
    private static final long CONN_RNR_RETRY_COUNT = CLayouts.offset(CmLayouts.RDMA_CONN_PARAM, "rnr_retry_count");

    private final MemorySegment channel;
    private final int fd;
    final Map<Long, CmId> ids = new ConcurrentHashMap<>();
    private final Arena arena = Arena.ofShared();
    private final MemorySegment pollfd = arena.allocate(LibcLayouts.POLLFD);
    private final MemorySegment eventOut = arena.allocate(ADDRESS);

    private CmEventChannel(MemorySegment channel) {
        super("CM event channel");
        this.channel = channel.reinterpret(CmLayouts.RDMA_EVENT_CHANNEL.byteSize());
        this.fd = this.channel.get(JAVA_INT, CLayouts.offset(CmLayouts.RDMA_EVENT_CHANNEL, "fd"));
    }

    /** {@code rdma_create_event_channel}; fails with ENODEV where the kernel has no rdma_cm. */
    public static CmEventChannel create() {
        Verbs.requireRdmaCm();
        MemorySegment channel = Librdmacm.rdma_create_event_channel();
        if (channel.address() == 0) {
            int errno = Native.errno();
            throw new VerbsException("rdma_create_event_channel", errno,
                    errno == Errno.ENODEV.value() ? "no /dev/infiniband/rdma_cm (is rdma_ucm loaded?)" : "");
        }
        return new CmEventChannel(channel);
    }

    /** The {@code struct rdma_event_channel *}. Never free it. */
    public MemorySegment nativeHandle() {
        return channel;
    }

    public int fileDescriptor() {
        return fd;
    }

    @Override
    public String describe() {
        return "CM event channel (fd " + fd + ")";
    }

    /** {@code rdma_create_id} of a TCP-port-space id (for RC QPs) on this channel. */
    public CmId createId() {
        return createId(PortSpace.TCP);
    }

    public CmId createId(PortSpace portSpace) {
        requireOpen();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment idOut = a.allocate(ADDRESS);
            if (Librdmacm.rdma_create_id(channel, idOut, MemorySegment.NULL, portSpace.value()) != 0) {
                throw new VerbsException("rdma_create_id", Native.errno(), portSpace + " on " + describe());
            }
            return new CmId(this, idOut.get(ADDRESS, 0));
        }
    }

    /**
     * An id with address and route to {@code peer} resolved, ready for a QP and
     * {@link CmId#connect}; waits for ADDR_RESOLVED and ROUTE_RESOLVED, each within {@code timeout}.
     * Other events of this channel must not arrive meanwhile (use a channel per connecting thread).
     */
    public CmId resolve(InetSocketAddress peer, Duration timeout) {
        CmId id = createId();
        try {
            id.resolveAddress(peer, timeout);
            await(CmEventType.ADDR_RESOLVED, timeout.toMillis() + 1000);
            id.resolveRoute(timeout);
            await(CmEventType.ROUTE_RESOLVED, timeout.toMillis() + 1000);
            return id;
        } catch (RuntimeException e) {
            id.close();
            throw e;
        }
    }

    /** An id bound to {@code local} and listening with {@code backlog}; connect requests arrive here. */
    public CmId listen(InetSocketAddress local, int backlog) {
        CmId id = createId();
        try {
            id.setReuseAddress(true);
            id.bind(local);
            id.listen(backlog);
            return id;
        } catch (RuntimeException e) {
            id.close();
            throw e;
        }
    }

    /**
     * The next event, waiting up to {@code timeoutMillis} (negative: forever); null on timeout.
     * An event for a connect request carries a new {@link CmId} that the caller owns.
     */
    public synchronized CmEvent poll(long timeoutMillis) {
        requireOpen();
        if (!Libc.awaitReadable(pollfd, fd, (int) Math.min(Integer.MAX_VALUE, timeoutMillis))) {
            return null;
        }
        if (Librdmacm.rdma_get_cm_event(channel, eventOut) != 0) {
            throw new VerbsException("rdma_get_cm_event", Native.errno(), describe());
        }
        MemorySegment event = eventOut.get(ADDRESS, 0).reinterpret(CmLayouts.RDMA_CM_EVENT.byteSize());
        CmEvent copy;
        try {
            copy = copy(event);
        } finally {
            if (Librdmacm.rdma_ack_cm_event(event) != 0) {
                throw new VerbsException("rdma_ack_cm_event", Native.errno(), describe());
            }
        }
        return copy;
    }

    /**
     * Waits for an event of type {@code expected}; anything else, or nothing within the timeout,
     * throws {@link UnexpectedCmEventException} carrying the event that came instead.
     */
    public CmEvent await(CmEventType expected, long timeoutMillis) {
        CmEvent event = poll(timeoutMillis);
        if (event == null) {
            throw new UnexpectedCmEventException("no rdma_cm event within " + timeoutMillis + " ms on " + describe()
                    + " while waiting for " + expected.cName(), null);
        }
        if (event.type() != expected) {
            throw new UnexpectedCmEventException("expected " + expected.cName() + " but got " + event, event);
        }
        return event;
    }

    private CmEvent copy(MemorySegment event) {
        int raw = event.get(JAVA_INT, CmLayouts.CM_EVENT_EVENT);
        CmEventType type = CmEventType.of(raw);
        MemorySegment idPtr = event.get(ADDRESS, CmLayouts.CM_EVENT_ID);
        MemorySegment listenPtr = event.get(ADDRESS, CmLayouts.CM_EVENT_LISTEN_ID);
        CmId id = ids.get(idPtr.address());
        if (id == null) {
            // A connect request brings an id librdmacm created for the new connection.
            id = new CmId(this, idPtr);
        }
        CmId listenId = listenPtr.address() == 0 ? null : ids.get(listenPtr.address());
        long conn = CmLayouts.CM_EVENT_CONN;
        MemorySegment data = event.get(ADDRESS, conn + CONN_PRIVATE_DATA);
        int length = Byte.toUnsignedInt(event.get(JAVA_BYTE, conn + CONN_PRIVATE_DATA_LEN));
        byte[] privateData = data.address() == 0 || length == 0 ? new byte[0] : data.reinterpret(length).toArray(JAVA_BYTE);
        return new CmEvent(type, raw, event.get(JAVA_INT, CmLayouts.CM_EVENT_STATUS), id, listenId, privateData,
                Byte.toUnsignedInt(event.get(JAVA_BYTE, conn + CONN_RESPONDER_RESOURCES)),
                Byte.toUnsignedInt(event.get(JAVA_BYTE, conn + CONN_INITIATOR_DEPTH)),
                Byte.toUnsignedInt(event.get(JAVA_BYTE, conn + CONN_RETRY_COUNT)),
                Byte.toUnsignedInt(event.get(JAVA_BYTE, conn + CONN_RNR_RETRY_COUNT)));
    }

    @Override
    protected void release() {
        Librdmacm.rdma_destroy_event_channel(channel);
        arena.close();
    }
}
