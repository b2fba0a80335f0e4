package io.nvmfoffload.nvme.emu;

import io.nvmfoffload.nvme.driver.HostQueuePair;
import io.nvmfoffload.nvme.driver.NvmeHost;
import io.nvmfoffload.nvme.spec.Le;
import io.nvmfoffload.nvme.spec.NvmOpcode;
import io.nvmfoffload.nvme.spec.NvmeStatus;
import io.nvmfoffload.nvme.spec.SubmissionQueueEntry;
import io.nvmfoffload.nvme.store.RamNamespaceStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmulatedIoCommandsTest {
    private final EmuFixture f = new EmuFixture(b -> b.mdts(4));
    private final HostQueuePair qp = f.host.createIoQueuePair(1, 16);

    @AfterEach
    void close() {
        f.close();
    }

    private NvmeStatus io(Consumer<SubmissionQueueEntry> fill) {
        return f.host.execute(qp, fill).named();
    }

    private MemorySegment storeBytes(long slba, int nlb) {
        MemorySegment m = MemorySegment.ofArray(new byte[nlb * 4096]);
        f.store.read(slba, nlb, m);
        return m;
    }

    @Test
    void controllerWritesLandInTheStoreTheSoftwarePathReads() {
        f.fill(0, 3 * 4096, 11);
        assertTrue(f.write(qp, 40, 3, 0).isSuccess());
        assertEquals(-1, f.buffer.asSlice(0, 3 * 4096).mismatch(storeBytes(40, 3)));
    }

    @Test
    void softwarePathWritesAreWhatTheControllerReads() {
        MemorySegment src = MemorySegment.ofArray(new byte[2 * 4096]);
        for (int i = 0; i < src.byteSize(); i++) {
            src.set(Le.U8, i, (byte) (i ^ 0x5A));
        }
        f.store.write(7, 2, src);
        assertTrue(f.read(qp, 7, 2, 8192).isSuccess());
        assertEquals(-1, src.mismatch(f.buffer.asSlice(8192, 2 * 4096)));
    }

    @Test
    void multiPageTransferUsesAPrpListAndScattersIntoPages() {
        f.fill(0, 16 * 4096, 3);
        assertTrue(f.write(qp, 100, 16, 0).isSuccess());
        f.buffer.asSlice(0, 16 * 4096).fill((byte) 0);
        assertTrue(f.read(qp, 100, 16, 0).isSuccess());
        MemorySegment expected = MemorySegment.ofArray(new byte[16 * 4096]);
        for (int i = 0; i < expected.byteSize(); i++) {
            expected.set(Le.U8, i, (byte) (i * 7 + 3));
        }
        assertEquals(-1, expected.mismatch(f.buffer.asSlice(0, 16 * 4096)));
    }

    @Test
    void contiguousPagesReachTheStoreAsOneAccessAndScatteredOnesOneEach() {
        DmaSpace dma = new DmaSpace();
        CountingStore store = new CountingStore(RamNamespaceStore.create("bursts", 4096, 64));
        try (Arena arena = Arena.ofConfined();
             EmulatedController c = EmulatedController.builder(dma).namespace(store).build();
             NvmeHost host = new NvmeHost(c.registers(), dma, c::poll, java.time.Duration.ofSeconds(3))) {
            MemorySegment buf = arena.allocate(32 * 4096, 4096);
            DmaRegion region = dma.register(buf);
            MemorySegment list = arena.allocate(4096, 4096);
            DmaRegion listRegion = dma.register(list);
            host.enable(4);
            HostQueuePair q = host.createIoQueuePair(1, 4);
            for (int i = 0; i < 16 * 4096; i++) {
                buf.set(Le.U8, i, (byte) (i * 13 + 1));
            }
            assertTrue(host.execute(q, s -> {
                s.opcode(NvmOpcode.WRITE).nsid(1).slba(8).blockCount(16);
                io.nvmfoffload.nvme.spec.PrpListBuilder.fill(s, region.addressOf(0), 16 * 4096, 4096, list);
            }).isSuccess());
            assertEquals(1, store.writes.get(), "16 pages in a row: one burst");
            // every other page of the buffer: 4 separate chunks, each its own access
            assertTrue(host.execute(q, s -> {
                s.opcode(NvmOpcode.READ).nsid(1).slba(8).blockCount(4);
                s.prp1(region.addressOf(16 * 4096));
                for (int p = 1; p < 4; p++) {
                    list.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, 8L * (p - 1), region.addressOf((16 + 2L * p) * 4096));
                }
                s.prp2(listRegion.addressOf(0));
            }).isSuccess());
            assertEquals(4, store.reads.get());
            for (int p = 0; p < 4; p++) {
                assertEquals(-1, buf.asSlice((long) p * 4096, 4096).mismatch(buf.asSlice((16 + 2L * p) * 4096, 4096)), "page " + p);
            }
        } finally {
            store.close();
        }
    }

    @Test
    void pagesThatSplitBlocksGoThroughTheBounceBuffer() {
        // PRP1 at offset 512 of a page: each 4 KiB block straddles two pages.
        f.fill(512, 2 * 4096, 9);
        assertTrue(f.write(qp, 3, 2, 512).isSuccess());
        assertEquals(-1, f.buffer.asSlice(512, 2 * 4096).mismatch(storeBytes(3, 2)));
        f.buffer.fill((byte) 0);
        assertTrue(f.read(qp, 3, 2, 512).isSuccess());
        assertEquals(-1, storeBytes(3, 2).mismatch(f.buffer.asSlice(512, 2 * 4096)));
    }

    @Test
    void readPastTheEndIsLbaOutOfRange() {
        assertEquals(NvmeStatus.LBA_OUT_OF_RANGE, f.read(qp, EmuFixture.BLOCKS - 1, 2, 0).named());
        assertEquals(NvmeStatus.LBA_OUT_OF_RANGE, io(s -> f.readWrite(s, NvmOpcode.WRITE, -2L, 1, 0)));
    }

    @Test
    void unknownNamespaceIsInvalidNamespaceOrFormat() {
        assertEquals(NvmeStatus.INVALID_NAMESPACE_OR_FORMAT, io(s -> f.readWrite(s, NvmOpcode.READ, 0, 1, 0).nsid(2)));
        assertEquals(NvmeStatus.INVALID_NAMESPACE_OR_FORMAT, io(s -> s.opcode(NvmOpcode.FLUSH).nsid(0)));
    }

    @Test
    void transferLargerThanMdtsIsInvalidField() {
        // MDTS 4: at most 64 KiB.
        assertEquals(NvmeStatus.INVALID_FIELD_IN_COMMAND, f.read(qp, 0, 17, 0).named());
        assertTrue(f.read(qp, 0, 16, 0).isSuccess());
    }

    @Test
    void dataOutsideTheDmaSpaceIsDataTransferErrorAndWritesNothing() {
        f.store.write(5, 1, MemorySegment.ofArray(new byte[4096]));
        try (Arena a = Arena.ofConfined()) {
            MemorySegment unmapped = a.allocate(4096, 4096);
            unmapped.fill((byte) 0x77);
            assertEquals(NvmeStatus.DATA_TRANSFER_ERROR, io(s -> s.opcode(NvmOpcode.WRITE).nsid(1).slba(5).blockCount(1)
                    .prp1(unmapped.address())));
        }
        assertTrue(EmuFixture.allZero(storeBytes(5, 1)));
    }

    @Test
    void secondPageOutsideTheDmaSpaceFailsBeforeAnyData() {
        long lastPage = f.bufferRegion.addressOf(EmuFixture.BUFFER - 4096);
        f.fill(EmuFixture.BUFFER - 4096, 4096, 1);
        assertEquals(NvmeStatus.DATA_TRANSFER_ERROR, io(s -> s.opcode(NvmOpcode.WRITE).nsid(1).slba(9).blockCount(2)
                .prp1(lastPage).prp2(lastPage + 4096)));
        assertTrue(EmuFixture.allZero(storeBytes(9, 1)));
    }

    @Test
    void misalignedPrp1IsInvalidPrpOffset() {
        assertEquals(NvmeStatus.INVALID_PRP_OFFSET, io(s -> s.opcode(NvmOpcode.READ).nsid(1).blockCount(1)
                .prp1(f.bufferRegion.addressOf(2))));
    }

    @Test
    void readOfDeallocatedBlocksReturnsZeros() {
        f.fill(0, 4 * 4096, 5);
        assertTrue(f.write(qp, 20, 4, 0).isSuccess());
        writeRanges(new long[][] {{21, 2}});
        assertEquals(NvmeStatus.SUCCESS, io(s -> dsm(s, 1, true)));
        assertTrue(f.read(qp, 20, 4, 0).isSuccess());
        assertTrue(EmuFixture.allZero(f.buffer.asSlice(4096, 2 * 4096)));
        assertTrue(!EmuFixture.allZero(f.buffer.asSlice(0, 4096)));
        assertTrue(!EmuFixture.allZero(f.buffer.asSlice(3 * 4096, 4096)));
    }

    @Test
    void datasetManagementWithoutDeallocateKeepsTheData() {
        f.fill(0, 4096, 5);
        assertTrue(f.write(qp, 30, 1, 0).isSuccess());
        writeRanges(new long[][] {{30, 1}});
        assertEquals(NvmeStatus.SUCCESS, io(s -> dsm(s, 1, false)));
        assertTrue(!EmuFixture.allZero(storeBytes(30, 1)));
    }

    @Test
    void deallocateRangePastTheEndIsLbaOutOfRangeAndDeallocatesNothing() {
        f.fill(0, 4096, 5);
        assertTrue(f.write(qp, 1, 1, 0).isSuccess());
        writeRanges(new long[][] {{1, 1}, {EmuFixture.BLOCKS - 1, 2}});
        assertEquals(NvmeStatus.LBA_OUT_OF_RANGE, io(s -> dsm(s, 2, true)));
        assertTrue(!EmuFixture.allZero(storeBytes(1, 1)));
    }

    /** DSM range list at buffer offset 128 KiB: (context attributes, NLB, SLBA) per 16 bytes. */
    private void writeRanges(long[][] ranges) {
        for (int i = 0; i < ranges.length; i++) {
            long off = 128 * 1024 + 16L * i;
            Le.putU32(f.buffer, off, 0);
            Le.putU32(f.buffer, off + 4, (int) ranges[i][1]);
            Le.putU64(f.buffer, off + 8, ranges[i][0]);
        }
    }

    private void dsm(SubmissionQueueEntry s, int ranges, boolean deallocate) {
        s.opcode(NvmOpcode.DATASET_MANAGEMENT).nsid(1).cdw10(ranges - 1).cdw11(deallocate ? 1 << 2 : 0)
                .prp1(f.bufferRegion.addressOf(128 * 1024));
    }

    @Test
    void writeZeroesZeroesTheRangeWithOrWithoutDeallocate() {
        f.fill(0, 4 * 4096, 2);
        assertTrue(f.write(qp, 50, 4, 0).isSuccess());
        assertEquals(NvmeStatus.SUCCESS, io(s -> s.opcode(NvmOpcode.WRITE_ZEROES).nsid(1).slba(50).blockCount(2)));
        assertEquals(NvmeStatus.SUCCESS, io(s -> s.opcode(NvmOpcode.WRITE_ZEROES).nsid(1).slba(52).blockCount(1).deallocate(true)));
        assertTrue(EmuFixture.allZero(storeBytes(50, 3)));
        assertTrue(!EmuFixture.allZero(storeBytes(53, 1)));
        assertEquals(NvmeStatus.LBA_OUT_OF_RANGE,
                io(s -> s.opcode(NvmOpcode.WRITE_ZEROES).nsid(1).slba(EmuFixture.BLOCKS).blockCount(1)));
    }

    @Test
    void flushReachesTheStoreForOneOrAllNamespaces() {
        DmaSpace dma = new DmaSpace();
        CountingStore store = new CountingStore(RamNamespaceStore.create("flush", 4096, 16));
        try (EmulatedController c = EmulatedController.builder(dma).namespace(store).build();
             NvmeHost host = new NvmeHost(c.registers(), dma, c::poll, java.time.Duration.ofSeconds(3))) {
            host.enable(4);
            HostQueuePair q = host.createIoQueuePair(1, 4);
            assertTrue(host.execute(q, s -> s.opcode(NvmOpcode.FLUSH).nsid(1)).isSuccess());
            assertTrue(host.execute(q, s -> s.opcode(NvmOpcode.FLUSH).nsid(SubmissionQueueEntry.NSID_ALL)).isSuccess());
            assertEquals(2, store.flushes.get());
        } finally {
            store.close();
        }
    }

    @Test
    void unknownIoOpcodeIsInvalidCommandOpcode() {
        assertEquals(NvmeStatus.INVALID_COMMAND_OPCODE, io(s -> s.opcode(NvmOpcode.COMPARE).nsid(1)));
    }

    @Test
    void sglDataPointerIsInvalidFieldOnThisPcieController() {
        assertEquals(NvmeStatus.INVALID_FIELD_IN_COMMAND, io(s -> f.readWrite(s, NvmOpcode.READ, 0, 1, 0)
                .psdt(SubmissionQueueEntry.PSDT_SGL_MPTR_CONTIGUOUS)));
    }
}
