package io.nvmfoffload.verbs.cm;

import io.nvmfoffload.verbs.DeviceContext;
import io.nvmfoffload.verbs.NativeResource;
import io.nvmfoffload.verbs.ProtectionDomain;
import io.nvmfoffload.verbs.QpCapabilities;
import io.nvmfoffload.verbs.QpInitAttributes;
import io.nvmfoffload.verbs.QueuePair;
import io.nvmfoffload.verbs.VerbsException;
import io.nvmfoffload.verbs.ffi.CmLayouts;
import io.nvmfoffload.verbs.ffi.Librdmacm;
import io.nvmfoffload.verbs.ffi.Native;
import io.nvmfoffload.verbs.ffi.NativeConstants;
import io.nvmfoffload.verbs.ffi.StructView;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.time.Duration;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * {@code struct rdma_cm_id}: a connection endpoint, the rdma_cm counterpart of a socket. Its verbs
 * are asynchronous: each answers with an event on the id's {@link CmEventChannel}, e.g.
 * {@link #resolveAddress} with ADDR_RESOLVED. The QP created with {@link #createQueuePair} is moved
 * through its states by rdma_cm during connect and accept.
 */
public final class CmId extends NativeResource {
    private final CmEventChannel channel;
    private final MemorySegment id;
    private volatile QueuePair queuePair;

    CmId(CmEventChannel channel, MemorySegment id) {
        super("CM id", channel);
        this.channel = channel;
        this.id = id.reinterpret(CmLayouts.RDMA_CM_ID.byteSize());
        channel.ids.put(this.id.address(), this);
    }

    public CmEventChannel channel() {
        return channel;
    }

    /** The {@code struct rdma_cm_id *}. Never free it. */
    public MemorySegment nativeHandle() {
        return id;
    }

    @Override
    public String describe() {
        InetSocketAddress local = localAddress();
        InetSocketAddress peer = peerAddress();
        return "CM id 0x" + Long.toHexString(id.address())
                + (local == null ? "" : " " + local.getAddress().getHostAddress() + ":" + local.getPort())
                + (peer == null ? "" : " -> " + peer.getAddress().getHostAddress() + ":" + peer.getPort());
    }

    /** The device the id is bound to (after bind to a device address, or address resolution), or null. */
    public DeviceContext context() {
        MemorySegment verbs = id.get(ADDRESS, CmLayouts.CM_ID_VERBS);
        return verbs.address() == 0 ? null : DeviceContext.borrow(verbs);
    }

    public int portNumber() {
        return Byte.toUnsignedInt(id.get(JAVA_BYTE, CmLayouts.CM_ID_PORT_NUM));
    }

    public InetSocketAddress localAddress() {
        return SocketAddresses.fromNative(id.asSlice(CmLayouts.CM_ID_SRC_ADDR));
    }

    public InetSocketAddress peerAddress() {
        return SocketAddresses.fromNative(id.asSlice(CmLayouts.CM_ID_DST_ADDR));
    }

    /** The QP created on this id, or null. */
    public QueuePair queuePair() {
        return queuePair;
    }

    /** Lets a listener bind to a port still in TIME_WAIT from a previous run. */
    public void setReuseAddress(boolean on) {
        requireOpen();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment value = a.allocateFrom(JAVA_INT, on ? 1 : 0);
            if (Librdmacm.rdma_set_option(id, NativeConstants.RDMA_OPTION_ID, NativeConstants.RDMA_OPTION_ID_REUSEADDR,
                    value, JAVA_INT.byteSize()) != 0) {
                throw new VerbsException("rdma_set_option", Native.errno(), "REUSEADDR on " + describe());
            }
        }
    }

    /** {@code rdma_bind_addr}: binds to a local address (and so to the device that owns it). */
    public void bind(InetSocketAddress address) {
        requireOpen();
        try (Arena a = Arena.ofConfined()) {
            if (Librdmacm.rdma_bind_addr(id, SocketAddresses.toNative(a, address)) != 0) {
                throw new VerbsException("rdma_bind_addr", Native.errno(), address + " on " + describe());
            }
        }
    }

    /** {@code rdma_listen}: accepts up to {@code backlog} pending connect requests. */
    public void listen(int backlog) {
        requireOpen();
        if (Librdmacm.rdma_listen(id, backlog) != 0) {
            throw new VerbsException("rdma_listen", Native.errno(), "backlog " + backlog + " on " + describe());
        }
    }

    /** {@code rdma_resolve_addr} from any local address; answered by ADDR_RESOLVED or ADDR_ERROR. */
    public void resolveAddress(InetSocketAddress destination, Duration timeout) {
        resolveAddress(null, destination, timeout);
    }

    public void resolveAddress(InetSocketAddress source, InetSocketAddress destination, Duration timeout) {
        requireOpen();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment src = source == null ? MemorySegment.NULL : SocketAddresses.toNative(a, source);
            if (Librdmacm.rdma_resolve_addr(id, src, SocketAddresses.toNative(a, destination), (int) timeout.toMillis()) != 0) {
                throw new VerbsException("rdma_resolve_addr", Native.errno(), destination + " on " + describe());
            }
        }
    }

    /** {@code rdma_resolve_route}; answered by ROUTE_RESOLVED or ROUTE_ERROR. */
    public void resolveRoute(Duration timeout) {
        requireOpen();
        if (Librdmacm.rdma_resolve_route(id, (int) timeout.toMillis()) != 0) {
            throw new VerbsException("rdma_resolve_route", Native.errno(), describe());
        }
    }

    /**
     * {@code rdma_create_qp}: a QP on the id's device with {@code pd}, which must belong to
     * {@link #context()}. Close the QP before the id.
     */
    public QueuePair createQueuePair(ProtectionDomain pd, QpInitAttributes attributes) {
        requireOpen();
        if (queuePair != null && !queuePair.isClosed()) {
            throw new IllegalStateException(describe() + " already has " + queuePair.describe());
        }
        DeviceContext context = context();
        if (context == null || !context.nativeHandle().equals(pd.context().nativeHandle())) {
            throw new IllegalArgumentException("the PD is on " + pd.context().name() + " but " + describe()
                    + " is " + (context == null ? "not bound to a device yet" : "on " + context.name()));
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment init = attributes.toNative(a);
            if (Librdmacm.rdma_create_qp(id, pd.nativeHandle(), init) != 0) {
                throw new VerbsException("rdma_create_qp", Native.errno(), attributes + " on " + describe());
            }
            MemorySegment qp = id.get(ADDRESS, CmLayouts.CM_ID_QP);
            QueuePair created = QueuePair.adopt(pd, attributes, QpCapabilities.granted(init), qp, this,
                    () -> Librdmacm.rdma_destroy_qp(id));
            queuePair = created;
            return created;
        }
    }

    /** {@code rdma_connect}; answered by ESTABLISHED, REJECTED, UNREACHABLE or CONNECT_ERROR. */
    public void connect(ConnectionParameters parameters) {
        requireOpen();
        try (Arena a = Arena.ofConfined()) {
            if (Librdmacm.rdma_connect(id, parameters.toNative(a).segment()) != 0) {
                throw new VerbsException("rdma_connect", Native.errno(), describe());
            }
        }
    }

    /** {@code rdma_accept} of a connect request; ESTABLISHED follows. */
    public void accept(ConnectionParameters parameters) {
        requireOpen();
        try (Arena a = Arena.ofConfined()) {
            if (Librdmacm.rdma_accept(id, parameters.toNative(a).segment()) != 0) {
                throw new VerbsException("rdma_accept", Native.errno(), describe());
            }
        }
    }

    /** {@code rdma_reject} of a connect request; the peer gets REJECTED with this private data. */
    public void reject(byte[] privateData) {
        requireOpen();
        if (privateData.length > 255) {
            throw new IllegalArgumentException("reject private data holds at most 255 bytes, not " + privateData.length);
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment data = privateData.length == 0 ? MemorySegment.NULL : a.allocateFrom(JAVA_BYTE, privateData);
            if (Librdmacm.rdma_reject(id, data, (byte) privateData.length) != 0) {
                throw new VerbsException("rdma_reject", Native.errno(), describe());
            }
        }
    }

    /** {@code rdma_disconnect}; both sides then get DISCONNECTED. */
    public void disconnect() {
        requireOpen();
        if (Librdmacm.rdma_disconnect(id) != 0) {
            throw new VerbsException("rdma_disconnect", Native.errno(), describe());
        }
    }

    @Override
    protected void release() {
        String description = describe();
        if (Librdmacm.rdma_destroy_id(id) != 0) {
            throw new VerbsException("rdma_destroy_id", Native.errno(), description);
        }
        channel.ids.remove(id.address(), this);
    }
}
