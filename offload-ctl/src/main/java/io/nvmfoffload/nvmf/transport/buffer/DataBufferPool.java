package io.nvmfoffload.nvmf.transport.buffer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The data buffers of one port, shared by its queues (SPDK's transport-wide buffer pool is the
 * model): at most {@code data_buffer_pool_size} bytes. A command takes one contiguous block of its
 * transfer's size, rounded up to a power of two from 4 KiB to the port's max_io_size
 * ({@link BufferBlocks}), when it needs its data, and gives it back when it is done; over RDMA one
 * SGE then covers its RDMA READ or WRITE. The memory is allocated (and, for RDMA, registered) in
 * chunks as the load first needs it, never beyond the pool's size, and kept for the port's life:
 * nothing is allocated per command once a chunk is there. Each queue draws on a {@link Share} with
 * a bound, so no host takes the whole pool. Thread-safe: commands complete on other threads than
 * the one that started them (an Asynchronous Event Request, a torn-down queue).
 */
public final class DataBufferPool implements AutoCloseable {
    /** Registers a chunk of memory with a device for local writes (RDMA READ lands there). */
    public interface Registrar {
        /** No device: the memory is used by the CPU alone (NVMe/TCP). */
        Registrar NONE = chunk -> new Registration(0, () -> { });

        Registration register(MemorySegment chunk);
    }

    /** A registered chunk: the lkey its SGEs name, and its deregistration. */
    public record Registration(int lkey, AutoCloseable deregistration) { }

    /** What {@link #take} did. */
    public enum Take { TAKEN, QUEUE_AT_BOUND, POOL_EMPTY }

    /** A chunk is this many bytes or one largest transfer, whichever is more: the steps the pool grows in. */
    static final long CHUNK_BYTES = 8L << 20;
    /** A queue's default bound, in largest transfers (see {@link #queueBound()}). */
    static final int QUEUE_TRANSFERS = 16;

    /** One command's buffer: a block of the pool while {@link #held()}. Owned by a request slot. */
    public static final class Buffer {
        private int unit = -1;
        private int order;
        private Share share;
        private long address;
        private int lkey;
        private MemorySegment segment = MemorySegment.NULL;

        public boolean held() {
            return unit >= 0;
        }

        /** Where the data is: the command's transfer length, valid while held. */
        public MemorySegment segment() {
            return segment;
        }

        public long address() {
            return address;
        }

        /** The lkey an SGE for this buffer names (0 without registration). */
        public int lkey() {
            return lkey;
        }
    }

    /** One queue's part of the pool: the bytes its commands hold now, and the most they may. Guarded by the pool. */
    public static final class Share {
        private final long bound;
        private long held;

        private Share(long bound) {
            this.bound = bound;
        }
    }

    private final Arena arena = Arena.ofShared();
    private final Registrar registrar;
    private final BufferBlocks blocks;
    private final int maxBlockBytes;
    private final int topBlocks;
    private final int topBlocksPerChunk;
    private final long unitsPerChunk;
    private final long queueBound;
    private final List<MemorySegment> chunks = new ArrayList<>();
    private final List<AutoCloseable> registrations = new ArrayList<>();
    private int[] lkeys = new int[0];
    private long inUse;
    private long peakInUse;
    /** A chunk could not be made (memory or registration refused): the pool stays at what it has. */
    private String growthFailure;
    private boolean closed;

    /**
     * @param poolBytes the most bytes the pool may hold; at least {@code maxIoSize}
     * @param maxIoSize the port's largest transfer, a power of two of at least 4 KiB
     */
    public DataBufferPool(long poolBytes, int maxIoSize, Registrar registrar) {
        if (Integer.bitCount(maxIoSize) != 1 || maxIoSize < BufferBlocks.UNIT || poolBytes < maxIoSize) {
            throw new IllegalArgumentException("a data buffer pool of " + poolBytes + " bytes cannot hold one buffer of " + maxIoSize);
        }
        this.registrar = registrar;
        this.maxBlockBytes = maxIoSize;
        this.blocks = new BufferBlocks(BufferBlocks.orderFor(maxIoSize));
        this.topBlocks = (int) Math.min(Integer.MAX_VALUE >> blocks.maxOrder(), poolBytes / maxIoSize);
        this.topBlocksPerChunk = (int) Math.max(1, CHUNK_BYTES / maxIoSize);
        this.unitsPerChunk = (long) topBlocksPerChunk << blocks.maxOrder();
        this.queueBound = Math.max(maxIoSize, Math.min((long) QUEUE_TRANSFERS * maxIoSize, capacityBytes() / 4));
    }

    /** Makes the first chunk now, so that a device that refuses to register memory fails the port at its start. */
    public synchronized DataBufferPool withFirstChunk() {
        if (chunks.isEmpty()) {
            try {
                grow();
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }
        return this;
    }

    /** A new queue's share with the pool's default bound ({@link #queueBound()}). */
    public Share share() {
        return new Share(queueBound);
    }

    /** A new queue's share that may hold {@code bound} bytes. */
    public Share share(long bound) {
        return new Share(bound);
    }

    /**
     * Gives {@code buffer} a block for {@code bytes} (1 up to the port's max_io_size) on behalf of
     * {@code share}, growing the pool by a chunk when no block is free and the pool is not at its size.
     */
    public synchronized Take take(Buffer buffer, Share share, int bytes) {
        if (buffer.held()) {
            throw new IllegalStateException("the slot holds a buffer already");
        }
        if (bytes < 1 || bytes > maxBlockBytes) {
            throw new IllegalArgumentException(bytes + " bytes: expected 1 to the largest block, " + maxBlockBytes);
        }
        int order = BufferBlocks.orderFor(bytes);
        long size = BufferBlocks.blockBytes(order);
        if (share.held + size > share.bound) {
            return Take.QUEUE_AT_BOUND;
        }
        int unit = closed ? -1 : blocks.allocate(order);
        while (unit < 0 && !closed && chunks.size() * (long) topBlocksPerChunk < topBlocks && growthFailure == null) {
            growQuietly();
            unit = blocks.allocate(order);
        }
        if (unit < 0) {
            return Take.POOL_EMPTY;
        }
        int chunk = (int) (unit / unitsPerChunk);
        buffer.unit = unit;
        buffer.order = order;
        buffer.share = share;
        buffer.segment = chunks.get(chunk).asSlice((unit % unitsPerChunk) * BufferBlocks.UNIT, bytes);
        buffer.address = buffer.segment.address();
        buffer.lkey = lkeys[chunk];
        share.held += size;
        inUse += size;
        peakInUse = Math.max(peakInUse, inUse);
        return Take.TAKEN;
    }

    /** Takes back the buffer's block, if it holds one. */
    public synchronized void give(Buffer buffer) {
        if (!buffer.held()) {
            return;
        }
        long size = BufferBlocks.blockBytes(buffer.order);
        blocks.free(buffer.unit, buffer.order);
        buffer.share.held -= size;
        inUse -= size;
        buffer.unit = -1;
        buffer.share = null;
        buffer.segment = MemorySegment.NULL;
    }

    private void growQuietly() {
        try {
            grow();
        } catch (RuntimeException e) {
            growthFailure = e.getMessage();
            System.getLogger(DataBufferPool.class.getName()).log(System.Logger.Level.WARNING,
                    "the data buffer pool stays at {0} bytes: another chunk could not be made ({1})", madeBytes(), growthFailure);
        }
    }

    private void grow() {
        int count = (int) Math.min(topBlocksPerChunk, topBlocks - chunks.size() * (long) topBlocksPerChunk);
        MemorySegment chunk = arena.allocate(count * BufferBlocks.blockBytes(blocks.maxOrder()), BufferBlocks.UNIT);
        Registration r = registrar.register(chunk);
        chunks.add(chunk);
        registrations.add(r.deregistration());
        lkeys = Arrays.copyOf(lkeys, chunks.size());
        lkeys[chunks.size() - 1] = r.lkey();
        blocks.addTopBlocks(count);
    }

    /** The largest block: the port's max_io_size. */
    public int maxBlockBytes() {
        return maxBlockBytes;
    }

    /** The default bound of a queue's share: 16 largest transfers, at most a quarter of the pool, at least one. */
    public long queueBound() {
        return queueBound;
    }

    /** The pool's size: whole largest transfers within data_buffer_pool_size. */
    public long capacityBytes() {
        return topBlocks * BufferBlocks.blockBytes(blocks.maxOrder());
    }

    private long madeBytes() {
        return (long) blocks.units() * BufferBlocks.UNIT;
    }

    /** Bytes {@code share}'s queue holds now. */
    public synchronized long heldBy(Share share) {
        return share.held;
    }

    /** The pool's figures now, with the most commands that ever waited for a buffer at once. */
    public synchronized DataBufferUse use(int peakWaiting) {
        return new DataBufferUse(capacityBytes(), madeBytes(), inUse, peakInUse, peakWaiting);
    }

    /** Deregisters and frees the memory; the port's queues are gone by then. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = registrations.size() - 1; i >= 0; i--) {
            try {
                registrations.get(i).close();
            } catch (Exception e) {
                System.getLogger(DataBufferPool.class.getName()).log(System.Logger.Level.DEBUG, "deregistering: {0}", e.getMessage());
            }
        }
        arena.close();
    }
}
