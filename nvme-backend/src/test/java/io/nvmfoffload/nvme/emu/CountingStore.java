package io.nvmfoffload.nvme.emu;

import io.nvmfoffload.nvme.store.NamespaceIdentity;
import io.nvmfoffload.nvme.store.NamespaceStore;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;

/** A store that counts flushes, reads and writes and reports a volatile write cache, over a real store. */
final class CountingStore implements NamespaceStore {
    final NamespaceStore inner;
    final AtomicInteger flushes = new AtomicInteger();
    final AtomicInteger reads = new AtomicInteger();
    final AtomicInteger writes = new AtomicInteger();

    CountingStore(NamespaceStore inner) {
        this.inner = inner;
    }

    @Override public String name() { return inner.name(); }
    @Override public int blockSize() { return inner.blockSize(); }
    @Override public long capacityBlocks() { return inner.capacityBlocks(); }
    @Override public NamespaceIdentity identity() { return inner.identity(); }
    @Override public void read(long slba, int nlb, MemorySegment dst, long off) { reads.incrementAndGet(); inner.read(slba, nlb, dst, off); }
    @Override public void write(long slba, int nlb, MemorySegment src, long off) { writes.incrementAndGet(); inner.write(slba, nlb, src, off); }
    @Override public void flush() { flushes.incrementAndGet(); inner.flush(); }
    @Override public void writeZeroes(long slba, long nlb, boolean deallocate) { inner.writeZeroes(slba, nlb, deallocate); }
    @Override public void deallocate(long slba, long nlb) { inner.deallocate(slba, nlb); }
    @Override public boolean hasVolatileWriteCache() { return true; }
    @Override public void resize(long newCapacityBlocks) { inner.resize(newCapacityBlocks); }
    @Override public Subscription addCapacityListener(CapacityListener l) {
        return inner.addCapacityListener((s, o, n) -> l.capacityChanged(this, o, n));
    }
    @Override public void close() { inner.close(); }
}
