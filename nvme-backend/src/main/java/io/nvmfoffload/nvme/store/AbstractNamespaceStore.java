package io.nvmfoffload.nvme.store;

import io.nvmfoffload.nvme.spec.NvmeStatus;
import io.nvmfoffload.nvme.spec.NvmeStatusException;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/** Range checks, capacity bookkeeping and listeners shared by the store implementations. */
abstract class AbstractNamespaceStore implements NamespaceStore {
    private final String name;
    private final int blockSize;
    private final int blockShift;
    private final NamespaceIdentity identity;
    private final List<CapacityListener> listeners = new CopyOnWriteArrayList<>();
    private volatile long capacityBlocks;

    AbstractNamespaceStore(String name, int blockSize, long capacityBlocks, NamespaceIdentity identity) {
        this.name = Objects.requireNonNull(name, "name");
        checkBlockSize(blockSize, name);
        if (capacityBlocks < 0) {
            throw new IllegalArgumentException("store " + name + ": capacity " + capacityBlocks + " blocks is negative");
        }
        this.blockSize = blockSize;
        this.blockShift = Integer.numberOfTrailingZeros(blockSize);
        this.capacityBlocks = capacityBlocks;
        this.identity = Objects.requireNonNull(identity, "identity");
    }

    static void checkBlockSize(int blockSize, String where) {
        if (blockSize != 512 && blockSize != 4096) {
            throw new IllegalArgumentException(where + ": block size " + blockSize + " is not 512 or 4096");
        }
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int blockSize() {
        return blockSize;
    }

    final int blockShift() {
        return blockShift;
    }

    @Override
    public final long capacityBlocks() {
        return capacityBlocks;
    }

    @Override
    public final NamespaceIdentity identity() {
        return identity;
    }

    /** Records a new capacity and tells the listeners. */
    final void capacityChanged(long newBlocks) {
        long old = capacityBlocks;
        capacityBlocks = newBlocks;
        if (old != newBlocks) {
            for (CapacityListener l : listeners) {
                l.capacityChanged(this, old, newBlocks);
            }
        }
    }

    @Override
    public final Subscription addCapacityListener(CapacityListener listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Rejects a block range outside the namespace; {@code slba} is unsigned as on the wire. */
    final void checkRange(long slba, long nlb, String op) {
        if (nlb < 1) {
            throw new NvmeStatusException(NvmeStatus.INVALID_FIELD_IN_COMMAND,
                    op + " of " + nlb + " blocks on " + name + ": the count must be at least 1");
        }
        long cap = capacityBlocks;
        if (slba < 0 || nlb > cap || slba > cap - nlb) {
            throw new NvmeStatusException(NvmeStatus.LBA_OUT_OF_RANGE, String.format(
                    "%s of %d blocks at LBA %s on %s: the namespace has %d blocks",
                    op, nlb, Long.toUnsignedString(slba), name, cap));
        }
    }

    final long checkBuffer(int nlb, MemorySegment buf, long offset, String op) {
        long bytes = (long) nlb << blockShift;
        if (offset < 0 || buf.byteSize() - offset < bytes) {
            throw new IllegalArgumentException(op + " of " + nlb + " blocks on " + name + " needs " + bytes
                    + " bytes of buffer at offset " + offset + ", the buffer has " + buf.byteSize());
        }
        return bytes;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + ", " + capacityBlocks + " x " + blockSize + " B]";
    }
}
