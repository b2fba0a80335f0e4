package io.nvmfoffload.verbs;

import io.nvmfoffload.verbs.ffi.IbvLayouts;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Set;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Verbs objects over zeroed native structs, for testing code above the binding on a machine
 * without RDMA. They look real to Java but must never reach C: do not close them, post on them
 * or query them.
 */
public final class Fakes {
    private static final Arena ARENA = Arena.ofAuto();

    private Fakes() {}

    public static DeviceContext context(String name) {
        RdmaDevice device = new RdmaDevice(name, 0x1234L, NodeType.CA, IbvTransportType.IB, "uverbs9", "/sys/fake/" + name);
        return new DeviceContext(ARENA.allocate(IbvLayouts.IBV_CONTEXT), device, false);
    }

    public static ProtectionDomain protectionDomain(DeviceContext context) {
        return new ProtectionDomain(context, ARENA.allocate(IbvLayouts.IBV_PD));
    }

    /** An MR over {@code memory} with the given keys. */
    public static MemoryRegion memoryRegion(ProtectionDomain pd, MemorySegment memory, int lkey, int rkey) {
        MemorySegment mr = ARENA.allocate(IbvLayouts.IBV_MR);
        mr.set(JAVA_INT, IbvLayouts.IBV_MR.byteOffset(java.lang.foreign.MemoryLayout.PathElement.groupElement("lkey")), lkey);
        mr.set(JAVA_INT, IbvLayouts.IBV_MR.byteOffset(java.lang.foreign.MemoryLayout.PathElement.groupElement("rkey")), rkey);
        return new MemoryRegion(pd, mr, memory, Set.of(Access.LOCAL_WRITE));
    }

    public static MemorySegment memory(long bytes) {
        return ARENA.allocate(bytes, 4096);
    }
}
