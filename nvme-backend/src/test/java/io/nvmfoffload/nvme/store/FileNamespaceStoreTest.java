package io.nvmfoffload.nvme.store;

import io.nvmfoffload.nvme.spec.NvmeStatus;
import io.nvmfoffload.nvme.spec.NvmeStatusException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class FileNamespaceStoreTest extends StoreContract {
    @TempDir
    Path dir;
    private int counter;

    @Override
    NamespaceStore newStore(int blockSize) {
        return FileNamespaceStore.builder(dir.resolve("ns" + counter++ + ".img")).blockSize(blockSize)
                .createIfMissing(BLOCKS).open();
    }

    private static long allocatedBytes(Path p) throws Exception {
        Process proc = new ProcessBuilder("stat", "-c", "%b %B", p.toString()).start();
        String[] out = new String(proc.getInputStream().readAllBytes()).trim().split(" ");
        assertEquals(0, proc.waitFor());
        return Long.parseLong(out[0]) * Long.parseLong(out[1]);
    }

    @Test
    void newFileIsCreatedSparseAtFullSize() throws Exception {
        Path p = ((FileNamespaceStore) store).path();
        assertEquals(BLOCKS * 4096, Files.size(p));
        assertTrue(allocatedBytes(p) < BLOCKS * 4096 / 2, "a new store should not allocate its blocks");
    }

    @Test
    void deallocatePunchesAHoleWhereTheFileSystemCan() throws Exception {
        Path p = ((FileNamespaceStore) store).path();
        store.write(0, (int) BLOCKS, pattern((int) BLOCKS, 4096, 2));
        store.flush();
        long before = allocatedBytes(p);
        store.deallocate(0, BLOCKS);
        long after = allocatedBytes(p);
        assumeTrue(before >= BLOCKS * 4096, "file system did not allocate written blocks");
        assertTrue(after < before / 2, "deallocate left " + after + " of " + before + " bytes allocated");
    }

    @Test
    void dataAndIdentitySurviveReopen() {
        Path p = ((FileNamespaceStore) store).path();
        MemorySegment src = pattern(2, 4096, 4);
        store.write(100, 2, src);
        store.flush();
        NamespaceIdentity id = store.identity();
        store.close();
        store = FileNamespaceStore.builder(p).open();
        assertEquals(id, store.identity());
        assertEquals(BLOCKS, store.capacityBlocks());
        MemorySegment dst = arena.allocate(2 * 4096L);
        store.read(100, 2, dst);
        assertEquals(-1, src.mismatch(dst));
        assertTrue(Files.exists(p.resolveSibling(p.getFileName() + ".nvmeid")));
    }

    @Test
    void differentFilesGetDifferentIdentities() {
        try (NamespaceStore other = newStore(4096)) {
            assertNotEquals(store.identity(), other.identity());
        }
    }

    @Test
    void missingFileWithoutCreateIsAnErrorNamingThePath() {
        Path p = dir.resolve("absent.img");
        var e = assertThrows(IllegalArgumentException.class, () -> FileNamespaceStore.builder(p).open());
        assertTrue(e.getMessage().contains(p.toString()));
    }

    @Test
    void fileNotAMultipleOfTheBlockSizeIsRejected() throws Exception {
        Path p = dir.resolve("odd.img");
        Files.write(p, new byte[4096 + 100]);
        var e = assertThrows(IllegalArgumentException.class, () -> FileNamespaceStore.builder(p).open());
        assertTrue(e.getMessage().contains("not a multiple"), e.getMessage());
    }

    @Test
    void resizeChangesTheFileLength() throws Exception {
        store.resize(BLOCKS + 16);
        assertEquals((BLOCKS + 16) * 4096, Files.size(((FileNamespaceStore) store).path()));
    }

    @Test
    void directIoRoundTripsAlignedUnalignedAndHeapBuffers() {
        Path p = dir.resolve("direct.img");
        try (FileNamespaceStore d = FileNamespaceStore.builder(p).blockSize(4096).createIfMissing(64).directIo(true).open()) {
            assumeTrue(d.directIo(), "O_DIRECT unavailable here: " + d.directIoFallbackReason());
            MemorySegment src = pattern(2, 4096, 6);
            d.write(3, 2, src);
            MemorySegment unaligned = arena.allocate(2 * 4096L + 8, 4096).asSlice(8);
            d.read(3, 2, unaligned);
            assertEquals(-1, src.mismatch(unaligned));
            MemorySegment heap = MemorySegment.ofArray(new byte[2 * 4096]);
            d.read(3, 2, heap);
            assertEquals(-1, src.mismatch(heap));
            d.write(5, 2, heap);
            d.deallocate(3, 1);
            MemorySegment back = arena.allocate(4096L, 4096);
            d.read(3, 1, back);
            assertTrue(allZero(back));
        }
    }

    @Test
    void anEmptyExistingFileIsSizedWhenACreateSizeIsGivenAndRefusedWithout() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.img"));
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> FileNamespaceStore.builder(empty).blockSize(4096).open());
        assertTrue(e.getMessage().contains("is empty (0 bytes)"), e.getMessage());
        try (FileNamespaceStore s = FileNamespaceStore.builder(empty).blockSize(4096).createIfMissing(32).open()) {
            assertEquals(32, s.capacityBlocks(), "sized as if it had been missing, not a 0-block namespace");
        }
    }

    @Test
    void aBufferedStoreOffersItsChannelForSendfileAndTransferToSendsTheBlocksWritten() throws Exception {
        MemorySegment src = pattern(3, 4096, 9);
        store.write(7, 3, src);
        java.nio.channels.FileChannel ch = store.transferChannel();
        assertNotNull(ch, "a buffered file can be sent from the page cache");
        java.io.ByteArrayOutputStream sink = new java.io.ByteArrayOutputStream();
        long n = ch.transferTo(7L * 4096, 3 * 4096, java.nio.channels.Channels.newChannel(sink));
        assertEquals(3 * 4096, n);
        assertEquals(-1, src.mismatch(MemorySegment.ofArray(sink.toByteArray())));
        try (FileNamespaceStore d = FileNamespaceStore.builder(dir.resolve("nosend.img")).blockSize(4096).createIfMissing(64)
                .directIo(true).open()) {
            assumeTrue(d.directIo(), "O_DIRECT unavailable here: " + d.directIoFallbackReason());
            assertEquals(null, d.transferChannel(), "an O_DIRECT store keeps its data out of the page cache");
        }
    }

    @Test
    void directIoWith512ByteBlocksFallsBackAndSaysWhy() throws Exception {
        assumeTrue(Files.getFileStore(dir).getBlockSize() > 512, "file system aligns O_DIRECT to 512 bytes");
        try (FileNamespaceStore d = FileNamespaceStore.builder(dir.resolve("d512.img")).blockSize(512)
                .createIfMissing(64).directIo(true).open()) {
            assertTrue(!d.directIo());
            assertNotNull(d.directIoFallbackReason());
            assertTrue(d.directIoFallbackReason().contains("512-byte block size"), d.directIoFallbackReason());
        }
    }

    @Test
    void readErrorsMapToUnrecoveredReadError() {
        FileNamespaceStore fs = (FileNamespaceStore) store;
        fs.close();
        MemorySegment dst = arena.allocate(4096L);
        var e = assertThrows(NvmeStatusException.class, () -> fs.read(0, 1, dst));
        assertEquals(NvmeStatus.UNRECOVERED_READ_ERROR, e.status());
        assertTrue(e.getMessage().contains(fs.path().toString()));
        var w = assertThrows(NvmeStatusException.class, () -> fs.write(0, 1, dst));
        assertEquals(NvmeStatus.WRITE_FAULT, w.status());
    }

    @Test
    void blockDeviceCapacityComesFromTheDevice() {
        String dev = System.getenv("NVMF_TEST_BLOCK_DEVICE");
        assumeTrue(dev != null, "set NVMF_TEST_BLOCK_DEVICE to a scratch block device (its contents are overwritten)");
        try (FileNamespaceStore d = FileNamespaceStore.openBlockDevice(Path.of(dev), 4096, false)) {
            assertTrue(d.isBlockDevice());
            assertTrue(d.capacityBlocks() > 0);
            MemorySegment src = pattern(1, 4096, 8);
            d.write(d.capacityBlocks() - 1, 1, src);
            MemorySegment dst = arena.allocate(4096L);
            d.read(d.capacityBlocks() - 1, 1, dst);
            assertEquals(-1, src.mismatch(dst));
            d.deallocate(d.capacityBlocks() - 1, 1);
            d.read(d.capacityBlocks() - 1, 1, dst);
            assertTrue(allZero(dst));
            assertThrows(UnsupportedOperationException.class, () -> d.resize(1));
        }
    }
}
