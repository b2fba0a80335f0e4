package io.nvmfoffload.verbs;

import io.nvmfoffload.verbs.ffi.CLayouts;
import io.nvmfoffload.verbs.ffi.IbvLayouts;
import io.nvmfoffload.verbs.ffi.IbvOffsets;
import io.nvmfoffload.verbs.ffi.Libibverbs;
import io.nvmfoffload.verbs.ffi.Native;
import io.nvmfoffload.verbs.ffi.NativeConstants;
import io.nvmfoffload.verbs.ffi.StructView;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * An opened device ({@code struct ibv_context}): queries, and the factory of PDs, CQs and
 * completion channels. Asynchronous events of the device and of its QPs, CQs and SRQs go to the
 * listeners added with {@link #addAsyncEventListener}, on a thread of their own.
 *
 * <p>The provider's function pointers for the hot-path verbs are read from {@code ops} once, here,
 * and reused by every QP, SRQ and CQ of this context.
 */
public final class DeviceContext extends NativeResource {
    private static final Map<Long, DeviceContext> BORROWED = new ConcurrentHashMap<>();

    private static final long OPS_POST_SEND = IbvOffsets.CONTEXT_OPS_POST_SEND;
    private static final long ABI_COMPAT = CLayouts.offset(IbvLayouts.IBV_CONTEXT, "abi_compat");
    private static final long VCTX_CONTEXT = CLayouts.offset(IbvLayouts.VERBS_CONTEXT, "context");
    private static final long VCTX_SZ = CLayouts.offset(IbvLayouts.VERBS_CONTEXT, "sz");

    private final MemorySegment context;
    private final RdmaDevice device;
    private final boolean owned;
    final MemorySegment postSendFn;
    final MemorySegment postRecvFn;
    final MemorySegment postSrqRecvFn;
    final MemorySegment pollCqFn;
    final MemorySegment reqNotifyCqFn;
    final Map<Long, QueuePair> queuePairs = new ConcurrentHashMap<>();
    final Map<Long, CompletionQueue> completionQueues = new ConcurrentHashMap<>();
    final Map<Long, SharedReceiveQueue> sharedReceiveQueues = new ConcurrentHashMap<>();
    private final AsyncEventPump asyncEvents;

    DeviceContext(MemorySegment context, RdmaDevice device, boolean owned) {
        super("device context", owned);
        this.context = context.reinterpret(IbvLayouts.IBV_CONTEXT.byteSize());
        this.device = device;
        this.owned = owned;
        this.postSendFn = this.context.get(ADDRESS, OPS_POST_SEND);
        this.postRecvFn = this.context.get(ADDRESS, IbvOffsets.CONTEXT_OPS_POST_RECV);
        this.postSrqRecvFn = this.context.get(ADDRESS, IbvOffsets.CONTEXT_OPS_POST_SRQ_RECV);
        this.pollCqFn = this.context.get(ADDRESS, IbvOffsets.CONTEXT_OPS_POLL_CQ);
        this.reqNotifyCqFn = this.context.get(ADDRESS, IbvOffsets.CONTEXT_OPS_REQ_NOTIFY_CQ);
        this.asyncEvents = new AsyncEventPump(this);
    }

    /**
     * Wraps an {@code ibv_context} that someone else opened and will close, such as the contexts
     * librdmacm opens for its ids. The same C context always gives the same wrapper; closing the
     * wrapper stops its event thread but leaves the C context open.
     */
    public static DeviceContext borrow(MemorySegment ibvContext) {
        Verbs.requireLibrary();
        return BORROWED.computeIfAbsent(ibvContext.address(), address -> {
            MemorySegment ctx = ibvContext.reinterpret(IbvLayouts.IBV_CONTEXT.byteSize());
            MemorySegment dev = ctx.get(ADDRESS, CLayouts.offset(IbvLayouts.IBV_CONTEXT, "device"))
                    .reinterpret(IbvLayouts.IBV_DEVICE.byteSize());
            return new DeviceContext(ctx, DeviceList.describe(dev), false);
        });
    }

    public RdmaDevice device() {
        return device;
    }

    public String name() {
        return device.name();
    }

    /** The {@code struct ibv_context *}, for code that calls C directly. Never free it. */
    public MemorySegment nativeHandle() {
        return context;
    }

    public int numCompletionVectors() {
        return context.get(JAVA_INT, CLayouts.offset(IbvLayouts.IBV_CONTEXT, "num_comp_vectors"));
    }

    int asyncFd() {
        return context.get(JAVA_INT, CLayouts.offset(IbvLayouts.IBV_CONTEXT, "async_fd"));
    }

    @Override
    public String describe() {
        return "device context of " + device.name() + (owned ? "" : " (opened by librdmacm)");
    }

    public DeviceAttributes queryDevice() {
        requireOpen();
        try (Arena arena = Arena.ofConfined()) {
            StructView attr = StructView.allocate(arena, IbvLayouts.IBV_DEVICE_ATTR);
            int rc = Libibverbs.ibv_query_device(context, attr.segment());
            if (rc != 0) {
                throw new VerbsException("ibv_query_device", Native.errnoOf(rc), device.name());
            }
            return DeviceAttributes.from(attr);
        }
    }

    /**
     * Extended attributes through the provider's {@code query_device_ex}, falling back to
     * {@link #queryDevice()} exactly as the inline ibv_query_device_ex does.
     */
    public DeviceAttributesEx queryDeviceEx() {
        requireOpen();
        try (Arena arena = Arena.ofConfined()) {
            StructView attr = StructView.allocate(arena, IbvLayouts.IBV_DEVICE_ATTR_EX);
            MemorySegment fn = verbsContextOp("query_device_ex");
            if (fn.address() != 0) {
                MemorySegment input = arena.allocate(IbvLayouts.IBV_QUERY_DEVICE_EX_INPUT);
                int rc = Libibverbs.verbs_query_device_ex(fn, context, input, attr.segment(), IbvLayouts.IBV_DEVICE_ATTR_EX.byteSize());
                if (rc == 0) {
                    return DeviceAttributesEx.from(attr, true);
                }
                int errno = Native.errnoOf(rc);
                if (errno != Errno.EOPNOTSUPP.value() && errno != Errno.ENOSYS.value()) {
                    throw new VerbsException("ibv_query_device_ex", errno, device.name());
                }
                attr.segment().fill((byte) 0);
            }
            int rc = Libibverbs.ibv_query_device(context, attr.nested("orig_attr").segment());
            if (rc != 0) {
                throw new VerbsException("ibv_query_device", Native.errnoOf(rc), device.name() + " (fallback of ibv_query_device_ex)");
            }
            return DeviceAttributesEx.from(attr, false);
        }
    }

    /** Port attributes through the provider's extended {@code query_port}, as the inline ibv_query_port does. */
    public PortAttributes queryPort(int port) {
        requireOpen();
        try (Arena arena = Arena.ofConfined()) {
            StructView attr = StructView.allocate(arena, IbvLayouts.IBV_PORT_ATTR);
            MemorySegment fn = verbsContextOp("query_port");
            int rc = fn.address() != 0
                    ? Libibverbs.verbs_query_port(fn, context, (byte) port, attr.segment(), IbvLayouts.IBV_PORT_ATTR.byteSize())
                    : Libibverbs.ibv_query_port_compat(context, (byte) port, attr.segment());
            if (rc != 0) {
                throw new VerbsException("ibv_query_port", Native.errnoOf(rc), "port " + port + " of " + device.name());
            }
            return PortAttributes.from(port, attr);
        }
    }

    /** Ports numbered 1 to {@code phys_port_cnt}. */
    public List<PortAttributes> queryPorts() {
        int count = queryDevice().physicalPortCount();
        List<PortAttributes> ports = new ArrayList<>(count);
        for (int p = 1; p <= count; p++) {
            ports.add(queryPort(p));
        }
        return ports;
    }

    public Gid queryGid(int port, int index) {
        requireOpen();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment gid = arena.allocate(IbvLayouts.IBV_GID);
            int rc = Libibverbs.ibv_query_gid(context, (byte) port, index, gid);
            if (rc != 0) {
                throw new VerbsException("ibv_query_gid", Native.errnoOf(rc), "GID " + index + " of port " + port + " of " + device.name());
            }
            return new Gid(gid.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        }
    }

    /**
     * The valid entries of a port's GID table, with their types (RoCE v1/v2) when libibverbs can
     * say; empty slots are skipped.
     */
    public List<GidEntry> gidTable(int port) {
        requireOpen();
        int length = queryPort(port).gidTableLength();
        if (Libibverbs.hasQueryGidTable()) {
            return gidTableAtOnce(port, length);
        }
        List<GidEntry> entries = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            StructView entry = StructView.allocate(arena, IbvLayouts.IBV_GID_ENTRY);
            for (int i = 0; i < length; i++) {
                if (Libibverbs.hasQueryGidEx()) {
                    int rc = Libibverbs._ibv_query_gid_ex(context, port, i, entry.segment(), 0, IbvLayouts.IBV_GID_ENTRY.byteSize());
                    if (rc == Errno.ENODATA.value()) {
                        continue;
                    }
                    if (rc != 0) {
                        throw new VerbsException("ibv_query_gid_ex", Native.errnoOf(rc), "GID " + i + " of port " + port + " of " + device.name());
                    }
                    entries.add(gidEntry(entry));
                } else {
                    Gid gid = queryGid(port, i);
                    if (!gid.isZero()) {
                        entries.add(new GidEntry(i, port, gid, Optional.empty(), 0));
                    }
                }
            }
        }
        return entries;
    }

    /**
     * One ibv_query_gid_table call for the whole device instead of one query per slot: the
     * per-slot path reads sysfs on some kernels, which is slow for tables of 1024 slots.
     */
    private List<GidEntry> gidTableAtOnce(int port, int length) {
        int ports = queryDevice().physicalPortCount();
        long max = (long) Math.max(1, length) * Math.max(1, ports);
        long stride = IbvLayouts.IBV_GID_ENTRY.byteSize();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment table = arena.allocate(stride * max, IbvLayouts.IBV_GID_ENTRY.byteAlignment());
            long n = Libibverbs._ibv_query_gid_table(context, table, max, 0, stride);
            if (n < 0) {
                throw new VerbsException("ibv_query_gid_table", (int) -n, device.name());
            }
            List<GidEntry> entries = new ArrayList<>();
            for (long i = 0; i < n; i++) {
                StructView entry = new StructView(table.asSlice(i * stride, stride), IbvLayouts.IBV_GID_ENTRY);
                if (entry.s32("port_num") == port) {
                    entries.add(gidEntry(entry));
                }
            }
            entries.sort(java.util.Comparator.comparingInt(GidEntry::index));
            return entries;
        }
    }

    private static GidEntry gidEntry(StructView entry) {
        return new GidEntry(entry.s32("gid_index"), entry.s32("port_num"), new Gid(entry.bytes("gid", 16)),
                Optional.ofNullable(GidType.of(entry.s32("gid_type"))), entry.s32("ndev_ifindex"));
    }

    /** Device attributes, extended attributes, and every port with its GIDs. */
    public DeviceReport report() {
        DeviceAttributes attributes = queryDevice();
        List<DeviceReport.PortReport> ports = new ArrayList<>();
        for (int p = 1; p <= attributes.physicalPortCount(); p++) {
            ports.add(new DeviceReport.PortReport(queryPort(p), gidTable(p)));
        }
        return new DeviceReport(device, attributes, queryDeviceEx(), ports);
    }

    public ProtectionDomain allocateProtectionDomain() {
        requireOpen();
        MemorySegment pd = Libibverbs.ibv_alloc_pd(context);
        if (pd.address() == 0) {
            throw new VerbsException("ibv_alloc_pd", Native.errno(), device.name());
        }
        return new ProtectionDomain(this, pd);
    }

    public CompletionChannel createCompletionChannel() {
        requireOpen();
        MemorySegment channel = Libibverbs.ibv_create_comp_channel(context);
        if (channel.address() == 0) {
            throw new VerbsException("ibv_create_comp_channel", Native.errno(), device.name());
        }
        return new CompletionChannel(this, channel);
    }

    /** A CQ of at least {@code minEntries} entries, polled only (no completion channel). */
    public CompletionQueue createCompletionQueue(int minEntries) {
        return createCompletionQueue(minEntries, null, 0);
    }

    /**
     * A CQ of at least {@code minEntries} entries whose notifications, once requested, arrive on
     * {@code channel} (may be null) using completion vector {@code compVector}.
     */
    public CompletionQueue createCompletionQueue(int minEntries, CompletionChannel channel, int compVector) {
        requireOpen();
        if (channel != null) {
            channel.requireOpen();
        }
        MemorySegment cq = Libibverbs.ibv_create_cq(context, minEntries, MemorySegment.NULL,
                channel == null ? MemorySegment.NULL : channel.nativeHandle(), compVector);
        if (cq.address() == 0) {
            throw new VerbsException("ibv_create_cq", Native.errno(), minEntries + " entries on " + device.name());
        }
        return new CompletionQueue(this, channel, cq);
    }

    /** Delivers the device's asynchronous events to {@code listener} on this context's event thread. */
    public void addAsyncEventListener(AsyncEventListener listener) {
        requireOpen();
        asyncEvents.add(listener);
    }

    public void removeAsyncEventListener(AsyncEventListener listener) {
        asyncEvents.remove(listener);
    }

    /**
     * A function of {@code struct verbs_context}, or NULL when the provider has none; the same test
     * as the verbs_get_ctx_op macro.
     */
    private MemorySegment verbsContextOp(String op) {
        if (context.get(JAVA_LONG, ABI_COMPAT) != NativeConstants.__VERBS_ABI_IS_EXTENDED) {
            return MemorySegment.NULL;
        }
        long opOffset = CLayouts.offset(IbvLayouts.VERBS_CONTEXT, op);
        MemorySegment vctx = MemorySegment.ofAddress(context.address() - VCTX_CONTEXT)
                .reinterpret(IbvLayouts.VERBS_CONTEXT.byteSize());
        long size = vctx.get(JAVA_LONG, VCTX_SZ);
        if (size < IbvLayouts.VERBS_CONTEXT.byteSize() - opOffset) {
            return MemorySegment.NULL;
        }
        return vctx.get(ADDRESS, opOffset);
    }

    @Override
    protected void release() {
        asyncEvents.stop();
        if (owned) {
            int rc = Libibverbs.ibv_close_device(context);
            if (rc != 0) {
                throw new VerbsException("ibv_close_device", Native.errnoOf(rc), device.name());
            }
        } else {
            BORROWED.remove(context.address(), this);
        }
    }
}
