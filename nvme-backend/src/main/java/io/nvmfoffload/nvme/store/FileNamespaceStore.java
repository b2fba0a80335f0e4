package io.nvmfoffload.nvme.store;

import io.nvmfoffload.nvme.spec.NvmeStatus;
import io.nvmfoffload.nvme.spec.NvmeStatusException;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * A namespace in a regular file or a block device, read and written with positional
 * {@link FileChannel} calls (no shared file position, so concurrent commands need no lock).
 *
 * <p>Files are created sparse. With {@linkplain Builder#directIo O_DIRECT} the page cache is
 * bypassed; the JDK then requires buffers, offsets and lengths aligned to the file store's block
 * size, so unaligned caller buffers go through a per-thread aligned bounce buffer. Where the file
 * system refuses O_DIRECT (tmpfs on older kernels) or the block size is smaller than the required
 * alignment, the store opens buffered and says why in {@link #directIoFallbackReason()}.
 */
public final class FileNamespaceStore extends AbstractNamespaceStore {
    private static final System.Logger LOG = System.getLogger(FileNamespaceStore.class.getName());
    private static final int BOUNCE_BYTES = 256 * 1024;
    private static final int ZERO_BYTES = 1024 * 1024;
    /** S_IFMT / S_IFBLK from stat(2). */
    private static final int S_IFMT = 0170000;
    private static final int S_IFBLK = 0060000;

    private final Path path;
    private final FileChannel channel;
    private final boolean blockDevice;
    private final boolean direct;
    private final boolean transferable;
    private final String directFallbackReason;
    private final int alignment;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment zeros;
    private final ThreadLocal<Bounce> bounce;
    private final LinuxFallocate fallocate;
    private volatile boolean closed;

    private record Bounce(MemorySegment segment, ByteBuffer buffer) {
    }

    private FileNamespaceStore(Path path, FileChannel channel, boolean blockDevice, boolean direct, String fallbackReason,
                               int alignment, int blockSize, long blocks, NamespaceIdentity identity) {
        super(path.toString(), blockSize, blocks, identity);
        this.path = path;
        this.channel = channel;
        this.blockDevice = blockDevice;
        this.direct = direct;
        this.directFallbackReason = fallbackReason;
        this.alignment = alignment;
        this.zeros = arena.allocate(ZERO_BYTES, Math.max(alignment, 4096));
        this.bounce = ThreadLocal.withInitial(() -> {
            MemorySegment s = arena.allocate(BOUNCE_BYTES, Math.max(alignment, 4096));
            return new Bounce(s, s.asByteBuffer());
        });
        this.fallocate = LinuxFallocate.open(path);
        this.transferable = !direct && sizeVisible(channel, (long) blockSize * blocks);
    }

    /** transferTo stops at what size() reports, so a channel whose size the JDK cannot see is not offered. */
    private static boolean sizeVisible(FileChannel channel, long capacityBytes) {
        try {
            return channel.size() >= capacityBytes;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public FileChannel transferChannel() {
        return transferable ? channel : null;
    }

    public static Builder builder(Path path) {
        return new Builder(path);
    }

    /**
     * A store over a block device ({@code /dev/...}); the capacity is the device size divided by
     * the block size, and the identity derives from the device's real path unless a sidecar is given.
     */
    public static FileNamespaceStore openBlockDevice(Path device, int blockSize, boolean directIo) {
        return builder(device).blockSize(blockSize).directIo(directIo).open();
    }

    public Path path() {
        return path;
    }

    public boolean isBlockDevice() {
        return blockDevice;
    }

    /** Whether I/O bypasses the page cache. */
    public boolean directIo() {
        return direct;
    }

    /** Why O_DIRECT was asked for but not used, or null. */
    public String directIoFallbackReason() {
        return directFallbackReason;
    }

    @Override
    public boolean hasVolatileWriteCache() {
        return true;
    }

    @Override
    public void read(long slba, int nlb, MemorySegment dst, long dstOffset) {
        long bytes = checkBuffer(nlb, dst, dstOffset, "read");
        checkRange(slba, nlb, "read");
        long pos = slba << blockShift();
        try {
            if (direct && !aligned(dst, dstOffset)) {
                readBounced(pos, bytes, dst, dstOffset);
            } else {
                readFully(view(dst, dstOffset, bytes), pos);
            }
        } catch (IOException e) {
            throw new NvmeStatusException(NvmeStatus.UNRECOVERED_READ_ERROR, false,
                    "read of " + nlb + " blocks at LBA " + slba + " from " + path + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void write(long slba, int nlb, MemorySegment src, long srcOffset) {
        long bytes = checkBuffer(nlb, src, srcOffset, "write");
        checkRange(slba, nlb, "write");
        long pos = slba << blockShift();
        try {
            if (direct && !aligned(src, srcOffset)) {
                writeBounced(pos, bytes, src, srcOffset);
            } else {
                writeFully(view(src, srcOffset, bytes), pos);
            }
        } catch (IOException e) {
            throw new NvmeStatusException(NvmeStatus.WRITE_FAULT, false,
                    "write of " + nlb + " blocks at LBA " + slba + " to " + path + " failed: " + e.getMessage(), e);
        }
    }

    /** FileChannel only takes ByteBuffers; skip the slice when the segment is exactly the transfer. */
    private static ByteBuffer view(MemorySegment s, long offset, long bytes) {
        return (offset == 0 && s.byteSize() == bytes ? s : s.asSlice(offset, bytes)).asByteBuffer();
    }

    private boolean aligned(MemorySegment s, long offset) {
        return s.isNative() && ((s.address() + offset) & (alignment - 1)) == 0;
    }

    private void readFully(ByteBuffer bb, long pos) throws IOException {
        long p = pos;
        while (bb.hasRemaining()) {
            int n = channel.read(bb, p);
            if (n < 0) {
                // Past the end of a file that shrank under us: absent blocks read as zeros.
                while (bb.hasRemaining()) {
                    bb.put((byte) 0);
                }
                return;
            }
            p += n;
        }
    }

    private void writeFully(ByteBuffer bb, long pos) throws IOException {
        long p = pos;
        while (bb.hasRemaining()) {
            p += channel.write(bb, p);
        }
    }

    private void readBounced(long pos, long bytes, MemorySegment dst, long dstOffset) throws IOException {
        Bounce b = bounce.get();
        for (long done = 0; done < bytes; ) {
            int n = (int) Math.min(BOUNCE_BYTES, bytes - done);
            ByteBuffer bb = b.buffer().clear().limit(n);
            readFully(bb, pos + done);
            MemorySegment.copy(b.segment(), 0, dst, dstOffset + done, n);
            done += n;
        }
    }

    private void writeBounced(long pos, long bytes, MemorySegment src, long srcOffset) throws IOException {
        Bounce b = bounce.get();
        for (long done = 0; done < bytes; ) {
            int n = (int) Math.min(BOUNCE_BYTES, bytes - done);
            MemorySegment.copy(src, srcOffset + done, b.segment(), 0, n);
            writeFully(b.buffer().clear().limit(n), pos + done);
            done += n;
        }
    }

    @Override
    public void flush() {
        try {
            channel.force(false);
        } catch (IOException e) {
            throw new NvmeStatusException(NvmeStatus.WRITE_FAULT, false, "flush of " + path + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void writeZeroes(long slba, long nlb, boolean deallocate) {
        checkRange(slba, nlb, "write zeroes");
        int mode = deallocate
                ? LinuxFallocate.FALLOC_FL_PUNCH_HOLE | LinuxFallocate.FALLOC_FL_KEEP_SIZE
                : LinuxFallocate.FALLOC_FL_ZERO_RANGE | LinuxFallocate.FALLOC_FL_KEEP_SIZE;
        zeroRange(slba, nlb, mode, "write zeroes");
    }

    @Override
    public void deallocate(long slba, long nlb) {
        checkRange(slba, nlb, "deallocate");
        zeroRange(slba, nlb, LinuxFallocate.FALLOC_FL_PUNCH_HOLE | LinuxFallocate.FALLOC_FL_KEEP_SIZE, "deallocate");
    }

    private void zeroRange(long slba, long nlb, int mode, String op) {
        long pos = slba << blockShift();
        long bytes = nlb << blockShift();
        if (fallocate != null) {
            int rc = fallocate.fallocate(mode, pos, bytes);
            if (rc == 0) {
                return;
            }
            if (rc > 0) {
                throw new NvmeStatusException(NvmeStatus.WRITE_FAULT, false,
                        op + " of " + nlb + " blocks at LBA " + slba + " on " + path + ": fallocate failed with errno " + rc, null);
            }
        }
        try {
            for (long done = 0; done < bytes; ) {
                int n = (int) Math.min(ZERO_BYTES, bytes - done);
                writeFully(zeros.asSlice(0, n).asByteBuffer(), pos + done);
                done += n;
            }
        } catch (IOException e) {
            throw new NvmeStatusException(NvmeStatus.WRITE_FAULT, false,
                    op + " of " + nlb + " blocks at LBA " + slba + " on " + path + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void resize(long newCapacityBlocks) {
        if (blockDevice) {
            throw new UnsupportedOperationException("the capacity of block device " + path
                    + " follows the device; resize the device and call refreshCapacity()");
        }
        if (newCapacityBlocks < 1) {
            throw new IllegalArgumentException("file store " + path + ": new capacity " + newCapacityBlocks + " blocks is below 1");
        }
        setLength(path, newCapacityBlocks << blockShift());
        try {
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the new size of " + path + " durable", e);
        }
        capacityChanged(newCapacityBlocks);
    }

    /** Re-reads the size of the file or device and tells listeners if the capacity changed. */
    public void refreshCapacity() {
        try {
            capacityChanged(sizeOf(path, channel, blockDevice) >> blockShift());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of " + path, e);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing " + path + " failed", e);
        } finally {
            if (fallocate != null) {
                fallocate.close();
            }
            arena.close();
        }
    }

    private static void setLength(Path path, long bytes) {
        try (RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw")) {
            raf.setLength(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set the length of " + path + " to " + bytes + " bytes", e);
        }
    }

    private static boolean isBlockDevice(Path path) throws IOException {
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode");
            return (mode & S_IFMT) == S_IFBLK;
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    private static long sizeOf(Path path, FileChannel ch, boolean blockDevice) throws IOException {
        long size = ch.size();
        if (size == 0 && blockDevice) {
            // Some JDKs report st_size (0) for devices; sysfs has the size in 512-byte sectors.
            Path sys = Path.of("/sys/class/block", path.toRealPath().getFileName().toString(), "size");
            size = Long.parseLong(Files.readString(sys).trim()) * 512;
        }
        return size;
    }

    /** Opens or creates a file store. */
    public static final class Builder {
        private final Path path;
        private int blockSize = 4096;
        private long createBlocks = -1;
        private boolean directIo;
        private Path sidecar;
        private NamespaceIdentity identity;

        private Builder(Path path) {
            this.path = Objects.requireNonNull(path, "path");
        }

        public Builder blockSize(int blockSize) {
            checkBlockSize(blockSize, "file store " + path);
            this.blockSize = blockSize;
            return this;
        }

        /** Creates a sparse file of {@code blocks} blocks if none exists; an existing file keeps its size. */
        public Builder createIfMissing(long blocks) {
            if (blocks < 1) {
                throw new IllegalArgumentException("file store " + path + ": cannot create with " + blocks + " blocks");
            }
            this.createBlocks = blocks;
            return this;
        }

        /** Asks for O_DIRECT; see the class comment for when the store falls back to buffered I/O. */
        public Builder directIo(boolean directIo) {
            this.directIo = directIo;
            return this;
        }

        /**
         * Where the identity is persisted. Default for files: {@code <file>.nvmeid} beside it; block
         * devices have no default sidecar and derive the identity from the device's real path.
         */
        public Builder identitySidecar(Path sidecar) {
            this.sidecar = sidecar;
            return this;
        }

        /** Uses a fixed identity instead of a sidecar. */
        public Builder identity(NamespaceIdentity identity) {
            this.identity = identity;
            return this;
        }

        public FileNamespaceStore open() {
            try {
                boolean exists = Files.exists(path);
                if (!exists && createBlocks < 0) {
                    throw new IllegalArgumentException("file store " + path + " does not exist; give a size to create it with");
                }
                boolean device = exists && isBlockDevice(path);
                if (!exists) {
                    Files.createFile(path);
                    setLength(path, createBlocks * blockSize);
                } else if (!device && !Files.isRegularFile(path)) {
                    throw new IllegalArgumentException(path + " is neither a regular file nor a block device");
                } else if (!device && Files.size(path) == 0) {
                    // an empty file (mktemp's, a touch) would be a namespace of 0 blocks, which hosts hide
                    if (createBlocks <= 0) {
                        throw new IllegalArgumentException("file store " + path + " is empty (0 bytes): a namespace needs at least "
                                + "one block; give a size to create it with");
                    }
                    setLength(path, createBlocks * blockSize);
                }
                int align = (int) Math.max(Files.getFileStore(path).getBlockSize(), 512);
                String fallback = null;
                boolean useDirect = false;
                if (directIo) {
                    if (blockSize % align != 0) {
                        fallback = "O_DIRECT on " + path + " needs " + align + "-byte aligned I/O, larger than the "
                                + blockSize + "-byte block size; using buffered I/O";
                    } else {
                        useDirect = true;
                    }
                }
                FileChannel ch = null;
                if (useDirect) {
                    try {
                        ch = FileChannel.open(path, options(true));
                    } catch (IOException | UnsupportedOperationException e) {
                        fallback = "the file system of " + path + " refused O_DIRECT (" + e.getMessage() + "); using buffered I/O";
                        useDirect = false;
                    }
                }
                if (ch == null) {
                    ch = FileChannel.open(path, options(false));
                }
                if (fallback != null) {
                    LOG.log(System.Logger.Level.WARNING, fallback);
                }
                try {
                    long size = sizeOf(path, ch, device);
                    if (size % blockSize != 0) {
                        throw new IllegalArgumentException(path + " is " + size + " bytes, not a multiple of the "
                                + blockSize + "-byte block size");
                    }
                    NamespaceIdentity id = identity != null ? identity
                            : sidecar != null ? NamespaceIdentity.loadOrCreate(sidecar)
                            : device ? NamespaceIdentity.fromName("blockdev:" + path.toRealPath())
                            : NamespaceIdentity.loadOrCreate(path.resolveSibling(path.getFileName() + ".nvmeid"));
                    return new FileNamespaceStore(path, ch, device, useDirect, fallback, align, blockSize,
                            size / blockSize, id);
                } catch (RuntimeException | IOException e) {
                    ch.close();
                    throw e;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open file store " + path + ": " + e.getMessage(), e);
            }
        }

        private static Set<OpenOption> options(boolean direct) {
            Set<OpenOption> o = new HashSet<>();
            o.add(StandardOpenOption.READ);
            o.add(StandardOpenOption.WRITE);
            if (direct) {
                o.add(directOption());
            }
            return o;
        }

        /**
         * com.sun.nio.file.ExtendedOpenOption.DIRECT, looked up by name: it is a JDK-specific API
         * (jdk.unsupported) and a JDK without it simply cannot do O_DIRECT, which the caller
         * reports as a fallback.
         */
        private static OpenOption directOption() {
            try {
                Class<?> c = Class.forName("com.sun.nio.file.ExtendedOpenOption");
                for (Object constant : c.getEnumConstants()) {
                    if (((Enum<?>) constant).name().equals("DIRECT")) {
                        return (OpenOption) constant;
                    }
                }
            } catch (ClassNotFoundException e) {
                // Fall through: this JDK has no O_DIRECT option.
            }
            throw new UnsupportedOperationException("this JDK has no com.sun.nio.file.ExtendedOpenOption.DIRECT");
        }
    }
}
