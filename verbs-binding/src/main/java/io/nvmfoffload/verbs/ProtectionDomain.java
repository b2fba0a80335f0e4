package io.nvmfoffload.verbs;

import io.nvmfoffload.verbs.ffi.IbvLayouts;
import io.nvmfoffload.verbs.ffi.Libibverbs;
import io.nvmfoffload.verbs.ffi.Native;
import io.nvmfoffload.verbs.ffi.StructView;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.EnumSet;
import java.util.Set;

/** {@code struct ibv_pd}: the scope of memory registrations, QPs and SRQs. */
public final class ProtectionDomain extends NativeResource {
    private final DeviceContext context;
    private final MemorySegment pd;

    ProtectionDomain(DeviceContext context, MemorySegment pd) {
        super("PD", context);
        this.context = context;
        this.pd = pd.reinterpret(IbvLayouts.IBV_PD.byteSize());
    }

    public DeviceContext context() {
        return context;
    }

    /** The {@code struct ibv_pd *}, for code that calls C directly. Never free it. */
    public MemorySegment nativeHandle() {
        return pd;
    }

    @Override
    public String describe() {
        return "PD on " + context.name();
    }

    /** See {@link #registerMemory(MemorySegment, Set)}. */
    public MemoryRegion registerMemory(MemorySegment memory, Access... access) {
        return registerMemory(memory, access.length == 0 ? EnumSet.noneOf(Access.class) : EnumSet.of(access[0], access));
    }

    /**
     * Registers native memory for access by the device. The segment must stay allocated until the
     * region is closed: the device writes to it without the JVM knowing.
     */
    public MemoryRegion registerMemory(MemorySegment memory, Set<Access> access) {
        requireOpen();
        if (!memory.isNative()) {
            throw new IllegalArgumentException("only native memory can be registered, not a heap segment of "
                    + memory.byteSize() + " bytes; allocate it from an Arena");
        }
        if (memory.byteSize() == 0) {
            throw new IllegalArgumentException("cannot register an empty segment");
        }
        int mask = Access.mask(access);
        MemorySegment mr = Libibverbs.ibv_reg_mr(pd, memory, memory.byteSize(), mask);
        if (mr.address() == 0) {
            throw new VerbsException("ibv_reg_mr", Native.errno(), memory.byteSize() + " bytes at 0x"
                    + Long.toHexString(memory.address()) + " with " + access + " in " + describe());
        }
        return new MemoryRegion(this, mr, memory, Set.copyOf(access));
    }

    /** Creates a queue pair; see {@link QpInitAttributes} for the defaults. */
    public QueuePair createQueuePair(QpInitAttributes attributes) {
        requireOpen();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment init = attributes.toNative(arena);
            MemorySegment qp = Libibverbs.ibv_create_qp(pd, init);
            if (qp.address() == 0) {
                throw new VerbsException("ibv_create_qp", Native.errno(), attributes + " in " + describe());
            }
            return new QueuePair(this, attributes, QpCapabilities.granted(init), qp, null, null);
        }
    }

    /**
     * Creates a shared receive queue of at least {@code maxWr} receives of up to {@code maxSge}
     * entries each, armed to raise SRQ_LIMIT_REACHED when fewer than {@code limit} remain (0: unarmed).
     */
    public SharedReceiveQueue createSharedReceiveQueue(int maxWr, int maxSge, int limit) {
        requireOpen();
        try (Arena arena = Arena.ofConfined()) {
            StructView init = StructView.allocate(arena, IbvLayouts.IBV_SRQ_INIT_ATTR);
            init.setS32("attr.max_wr", maxWr).setS32("attr.max_sge", maxSge).setS32("attr.srq_limit", limit);
            MemorySegment srq = Libibverbs.ibv_create_srq(pd, init.segment());
            if (srq.address() == 0) {
                throw new VerbsException("ibv_create_srq", Native.errno(), "max_wr " + maxWr + ", max_sge " + maxSge
                        + ", limit " + limit + " in " + describe());
            }
            return new SharedReceiveQueue(this, srq, init.s32("attr.max_wr"), init.s32("attr.max_sge"));
        }
    }

    @Override
    protected void release() {
        int rc = Libibverbs.ibv_dealloc_pd(pd);
        if (rc != 0) {
            throw new VerbsException("ibv_dealloc_pd", Native.errnoOf(rc), describe());
        }
    }
}
