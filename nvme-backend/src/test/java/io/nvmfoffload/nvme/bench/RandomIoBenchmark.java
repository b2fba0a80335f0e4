package io.nvmfoffload.nvme.bench;

import io.nvmfoffload.nvme.driver.HostQueuePair;
import io.nvmfoffload.nvme.driver.NvmeHost;
import io.nvmfoffload.nvme.emu.DmaRegion;
import io.nvmfoffload.nvme.emu.DmaSpace;
import io.nvmfoffload.nvme.emu.EmulatedController;
import io.nvmfoffload.nvme.spec.CompletionQueueEntry;
import io.nvmfoffload.nvme.spec.NvmOpcode;
import io.nvmfoffload.nvme.spec.StatusField;
import io.nvmfoffload.nvme.spec.SubmissionQueueEntry;
import io.nvmfoffload.nvme.store.FileNamespaceStore;
import io.nvmfoffload.nvme.store.NamespaceStore;
import io.nvmfoffload.nvme.store.RamNamespaceStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * 4 KiB random reads and writes, one at a time (queue depth 1, one submitting thread), through
 * each way this module offers, beside raw positional FileChannel I/O on the same file:
 * <ul>
 *   <li>{@code raw-filechannel}: FileChannel.read/write of a direct ByteBuffer, the baseline;</li>
 *   <li>{@code ram-store}, {@code file-store}: the namespace stores called directly (the software target path);</li>
 *   <li>{@code emu-ram}, {@code emu-file}: the emulated controller over those stores, each command
 *       written into its SQ ring, announced by the doorbell, executed by the device thread and
 *       reaped from the CQ by phase tag (the offload path);</li>
 *   <li>{@code emu-ram-inline}: as emu-ram, but the submitting thread runs the controller's poll()
 *       itself, which shows the controller's own cost without the cross-thread hand-off.</li>
 * </ul>
 * The file is 64 MiB and written once before measuring, so reads come from the page cache: the
 * figures compare software overheads, not disks.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class RandomIoBenchmark {
    static final int BLOCK = 4096;
    static final int BLOCKS = 16384;

    @Param({"raw-filechannel", "ram-store", "file-store", "emu-ram", "emu-file", "emu-ram-inline"})
    public String target;

    private Path dir;
    private Arena arena;
    private MemorySegment buffer;
    private ByteBuffer rawBuffer;
    private FileChannel raw;
    private NamespaceStore store;
    private DmaSpace dma;
    private DmaRegion bufferRegion;
    private EmulatedController controller;
    private NvmeHost host;
    private HostQueuePair qp;
    private long bufferAddress;
    private final int[] lbas = new int[1 << 16];
    private int next;
    private int cid;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("nvme-bench");
        arena = Arena.ofShared();
        buffer = arena.allocate(BLOCK, BLOCK);
        rawBuffer = buffer.asByteBuffer();
        SplittableRandom rnd = new SplittableRandom(42);
        for (int i = 0; i < lbas.length; i++) {
            lbas[i] = rnd.nextInt(BLOCKS);
        }
        Path file = dir.resolve("ns.img");
        prefill(file);
        switch (target) {
            case "raw-filechannel" -> raw = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            case "ram-store" -> store = ramStore();
            case "file-store" -> store = fileStore(file);
            case "emu-ram", "emu-ram-inline" -> startController(ramStore(), target.equals("emu-ram"));
            case "emu-file" -> startController(fileStore(file), true);
            default -> throw new IllegalArgumentException("unknown target " + target);
        }
    }

    private static void prefill(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20);
            while (chunk.hasRemaining()) {
                chunk.put((byte) chunk.position());
            }
            for (long pos = 0; pos < (long) BLOCKS * BLOCK; pos += chunk.capacity()) {
                chunk.clear();
                while (chunk.hasRemaining()) {
                    ch.write(chunk, pos + chunk.position());
                }
            }
        }
    }

    private static NamespaceStore ramStore() {
        NamespaceStore s = RamNamespaceStore.create("bench", BLOCK, BLOCKS);
        MemorySegment fill = MemorySegment.ofArray(new byte[BLOCK]);
        fill.fill((byte) 1);
        for (int lba = 0; lba < BLOCKS; lba++) {
            s.write(lba, 1, fill);
        }
        return s;
    }

    private static NamespaceStore fileStore(Path file) {
        return FileNamespaceStore.builder(file).blockSize(BLOCK).identity(
                io.nvmfoffload.nvme.store.NamespaceIdentity.fromName("bench")).open();
    }

    private void startController(NamespaceStore s, boolean deviceThread) {
        store = s;
        dma = new DmaSpace();
        bufferRegion = dma.register(buffer);
        bufferAddress = bufferRegion.base();
        controller = EmulatedController.builder(dma).namespace(s).build();
        Runnable pump = deviceThread ? Thread::onSpinWait : controller::poll;
        if (deviceThread) {
            controller.start();
        }
        host = new NvmeHost(controller.registers(), dma, pump, Duration.ofSeconds(10));
        host.enable(16);
        qp = host.createIoQueuePair(1, 64);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (qp != null) {
            host.deleteIoQueuePair(qp);
            host.close();
            controller.close();
        }
        if (store != null) {
            store.close();
        }
        if (raw != null) {
            raw.close();
        }
        arena.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private long nextLba() {
        return lbas[next++ & (lbas.length - 1)];
    }

    @Benchmark
    public int randomRead4k() throws IOException {
        return io(false);
    }

    @Benchmark
    public int randomWrite4k() throws IOException {
        return io(true);
    }

    private int io(boolean write) throws IOException {
        long lba = nextLba();
        switch (target) {
            case "raw-filechannel" -> {
                rawBuffer.clear();
                return write ? raw.write(rawBuffer, lba * BLOCK) : raw.read(rawBuffer, lba * BLOCK);
            }
            case "ram-store", "file-store" -> {
                if (write) {
                    store.write(lba, 1, buffer);
                } else {
                    store.read(lba, 1, buffer);
                }
                return 1;
            }
            default -> {
                return submitAndWait(write ? NvmOpcode.WRITE : NvmOpcode.READ, lba, !target.equals("emu-ram-inline"));
            }
        }
    }

    private int submitAndWait(int opcode, long lba, boolean deviceThread) {
        SubmissionQueueEntry s = qp.nextSubmission();
        s.opcode(opcode).cid(cid++ & 0xFFFF).nsid(1).slba(lba).blockCount(1).prp1(bufferAddress);
        qp.submit();
        CompletionQueueEntry cqe;
        int spins = 0;
        while ((cqe = qp.peekCompletion()) == null) {
            if (!deviceThread) {
                controller.poll();
            } else if ((++spins & 0x3F) == 0) {
                // As the device thread waits: spin, and yield now and then in case it needs this core.
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
        }
        int status = cqe.status();
        qp.release();
        if (status != 0) {
            throw new IllegalStateException("benchmark command failed: " + StatusField.describe(status));
        }
        return status;
    }
}
