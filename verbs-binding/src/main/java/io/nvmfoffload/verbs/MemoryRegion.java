package io.nvmfoffload.verbs;

import io.nvmfoffload.verbs.ffi.IbvLayouts;
import io.nvmfoffload.verbs.ffi.Libibverbs;
import io.nvmfoffload.verbs.ffi.Native;
import io.nvmfoffload.verbs.ffi.StructView;

import java.lang.foreign.MemorySegment;
import java.util.Set;

/**
 * {@code struct ibv_mr}: native memory registered with a PD. Work requests name it by
 * {@link #lkey()} locally and a peer by {@link #rkey()} and {@link #address()}.
 */
public final class MemoryRegion extends NativeResource {
    private final ProtectionDomain pd;
    private final MemorySegment mr;
    private final MemorySegment memory;
    private final Set<Access> access;
    private final int lkey;
    private final int rkey;

    MemoryRegion(ProtectionDomain pd, MemorySegment mr, MemorySegment memory, Set<Access> access) {
        super("MR", pd);
        this.pd = pd;
        this.mr = mr.reinterpret(IbvLayouts.IBV_MR.byteSize());
        this.memory = memory;
        this.access = access;
        StructView v = new StructView(this.mr, IbvLayouts.IBV_MR);
        this.lkey = v.s32("lkey");
        this.rkey = v.s32("rkey");
    }

    public ProtectionDomain protectionDomain() {
        return pd;
    }

    /** The registered memory. */
    public MemorySegment segment() {
        return memory;
    }

    public long address() {
        return memory.address();
    }

    public long length() {
        return memory.byteSize();
    }

    public int lkey() {
        return lkey;
    }

    public int rkey() {
        return rkey;
    }

    public Set<Access> access() {
        return access;
    }

    /** The {@code struct ibv_mr *}, for code that calls C directly. Never free it. */
    public MemorySegment nativeHandle() {
        return mr;
    }

    /** Whether [{@code address}, {@code address + length}) lies inside this region. */
    public boolean contains(long address, long length) {
        return length >= 0 && address >= address() && address + length <= address() + length();
    }

    @Override
    public String describe() {
        return "MR of " + memory.byteSize() + " bytes at 0x" + Long.toHexString(memory.address())
                + " (lkey 0x" + Integer.toHexString(lkey) + ") on " + pd.context().name();
    }

    @Override
    protected void release() {
        int rc = Libibverbs.ibv_dereg_mr(mr);
        if (rc != 0) {
            throw new VerbsException("ibv_dereg_mr", Native.errnoOf(rc), describe());
        }
    }
}
