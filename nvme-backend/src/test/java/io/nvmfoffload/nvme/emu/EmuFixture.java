package io.nvmfoffload.nvme.emu;

import io.nvmfoffload.nvme.driver.HostQueuePair;
import io.nvmfoffload.nvme.driver.NvmeHost;
import io.nvmfoffload.nvme.spec.NvmOpcode;
import io.nvmfoffload.nvme.spec.PrpListBuilder;
import io.nvmfoffload.nvme.spec.SubmissionQueueEntry;
import io.nvmfoffload.nvme.store.RamNamespaceStore;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * An enabled emulated controller over a RAM namespace, a host driver that pumps it with
 * {@code poll()}, and a registered I/O buffer (the stand-in for an offload engine's staging buffer).
 */
final class EmuFixture implements AutoCloseable {
    static final int BLOCKS = 1024;
    static final int BUFFER = 256 * 1024;

    final Arena arena = Arena.ofShared();
    final DmaSpace dma = new DmaSpace();
    final RamNamespaceStore store;
    final EmulatedController ctrl;
    final NvmeHost host;
    final MemorySegment buffer = arena.allocate(BUFFER, 4096);
    final DmaRegion bufferRegion = dma.register(buffer);
    final MemorySegment prpList = arena.allocate(8192, 4096);
    final DmaRegion prpRegion = dma.register(prpList);

    EmuFixture() {
        this(b -> { });
    }

    EmuFixture(Consumer<EmulatedControllerBuilder> configure) {
        this(RamNamespaceStore.create("fixture", 4096, BLOCKS), configure, true);
    }

    EmuFixture(RamNamespaceStore store, Consumer<EmulatedControllerBuilder> configure, boolean enable) {
        this.store = store;
        EmulatedControllerBuilder b = EmulatedController.builder(dma).namespace(store);
        configure.accept(b);
        this.ctrl = b.build();
        this.host = new NvmeHost(ctrl.registers(), dma, ctrl::poll, Duration.ofSeconds(5));
        if (enable) {
            host.enable(8);
        }
    }

    /** Fills a read or write of {@code nlb} blocks at {@code slba}, data at {@code bufferOffset} of the buffer. */
    SubmissionQueueEntry readWrite(SubmissionQueueEntry s, int opcode, long slba, int nlb, long bufferOffset) {
        s.opcode(opcode).nsid(1).slba(slba).blockCount(nlb);
        PrpListBuilder.fill(s, bufferRegion.addressOf(bufferOffset), (long) nlb * store.blockSize(), 4096, prpList);
        return s;
    }

    NvmeHost.Completion write(HostQueuePair qp, long slba, int nlb, long bufferOffset) {
        return host.execute(qp, s -> readWrite(s, NvmOpcode.WRITE, slba, nlb, bufferOffset));
    }

    NvmeHost.Completion read(HostQueuePair qp, long slba, int nlb, long bufferOffset) {
        return host.execute(qp, s -> readWrite(s, NvmOpcode.READ, slba, nlb, bufferOffset));
    }

    void fill(long offset, long length, int seed) {
        for (long i = 0; i < length; i++) {
            buffer.set(ValueLayout.JAVA_BYTE, offset + i, (byte) (i * 7 + seed));
        }
    }

    static boolean allZero(MemorySegment m) {
        for (long i = 0; i < m.byteSize(); i++) {
            if (m.get(ValueLayout.JAVA_BYTE, i) != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        host.close();
        ctrl.close();
        store.close();
        arena.close();
    }
}
