package io.nvmfoffload.offload.emulated;

import io.nvmfoffload.verbs.nvmf.NamespaceMapping;
import io.nvmfoffload.verbs.nvmf.OffloadOp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

import static io.nvmfoffload.offload.emulated.SpecCapsules.KEYED_ADDRESS;
import static io.nvmfoffload.offload.emulated.SpecCapsules.KEYED_INVALIDATE;
import static io.nvmfoffload.offload.emulated.SpecCapsules.READ;
import static io.nvmfoffload.offload.emulated.SpecCapsules.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The classifier on capsule bytes laid out as the NVMe-oF specification gives them ({@link SpecCapsules}). */
class CapsuleClassifierTest {
    private static final long MAX_IO = 16 * 1024;
    private final Arena arena = Arena.ofConfined();
    private final NamespaceRoutes routes = new NamespaceRoutes(1, 8, 0, Set.of(512, 4096));
    private final FakeNvmeBackend backend = new FakeNvmeBackend(arena, 1, 8, 4, 1_000_000_000L);
    private final FakeNvmeBackend fourK = new FakeNvmeBackend(arena, 2, 8, 4, 1_000_000_000L);

    CapsuleClassifierTest() {
        routes.map(backend.controller, new NamespaceMapping(1, 512, 7));
        routes.map(fourK.controller, new NamespaceMapping(2, 4096, 1));
    }

    @AfterEach
    void close() {
        arena.close();
    }

    private ClassifiedCapsule classify(CapsuleClassifier c, ByteBuffer capsule) {
        // at an offset into a larger receive buffer, as the SRQ's buffers are
        MemorySegment buffer = arena.allocate(256 + capsule.capacity(), 64);
        MemorySegment.copy(MemorySegment.ofArray(capsule.array()), 0, buffer, 256, capsule.capacity());
        return c.classify(buffer, 256, capsule.capacity());
    }

    private ClassifiedCapsule classify(ByteBuffer capsule) {
        return classify(new CapsuleClassifier(routes, EnumSet.allOf(OffloadOp.class), MAX_IO), capsule);
    }

    @Test
    void aKeyedReadOfAMappedNamespaceIsExecutedWithTheHostsAddressKeyAndLength() {
        ClassifiedCapsule found = classify(SpecCapsules.keyed(READ, 9, 1, 8, 4096, 0x7F00_1234_5000L, 0xCAFE_0001, KEYED_ADDRESS));
        assertNotNull(found);
        assertSame(backend.controller, found.route.controller);
        assertEquals(READ, found.opcode);
        assertEquals(8, found.blocks, "NLB is 0's based");
        assertEquals(4096, found.length);
        assertEquals(0x7F00_1234_5000L, found.remoteAddress);
        assertEquals(0xCAFE_0001, found.remoteKey);
        assertFalse(found.inCapsule);
        assertFalse(found.invalidate);
    }

    @Test
    void theInvalidateKeySubtypeAsksForSendWithInvalidate() {
        ClassifiedCapsule found = classify(SpecCapsules.keyed(READ, 1, 1, 1, 512, 0x1000, 42, KEYED_INVALIDATE));
        assertNotNull(found);
        assertTrue(found.invalidate);
    }

    @Test
    void keyedSubtypesTheTransportBindingDoesNotDefineGoToSoftware() {
        for (int subtype : new int[] {0x1, 0x2, 0xA, 0xE}) {
            assertNull(classify(SpecCapsules.keyed(READ, 1, 1, 1, 512, 0x1000, 42, 0x40 | subtype)), "subtype " + subtype);
        }
    }

    @Test
    void aKeyedLengthThatDisagreesWithTheBlocksGoesToSoftware() {
        assertNull(classify(SpecCapsules.keyed(READ, 1, 1, 8, 4095, 0x1000, 42, KEYED_ADDRESS)));
        assertNull(classify(SpecCapsules.keyed(WRITE, 1, 2, 1, 512, 0x1000, 42, KEYED_ADDRESS)), "one 4 KiB block is 4096 bytes");
    }

    @Test
    void inCapsuleWriteDataIsFoundAtItsOffsetAfterTheSqe() {
        ClassifiedCapsule found = classify(SpecCapsules.inCapsule(3, 1, 2, 512, 1024, 4096));
        assertNotNull(found);
        assertTrue(found.inCapsule);
        assertEquals(64 + 512, found.dataOffset, "the offset counts from the end of the SQE");
        assertEquals(1024, found.length);
        assertNotNull(classify(SpecCapsules.inCapsule(3, 1, 8, 0, 4096, 4096)), "data filling the capsule exactly");
    }

    @Test
    void inCapsuleOffsetsPastTheCapsuleGoToSoftwareAndNoneWrapsAround() {
        long[] offsets = {
                3073,                          // one byte past the end: 3073 + 1024 > 4096
                4096,                          // at the end, with data to come
                Long.MAX_VALUE - 100,          // offset + length overflows a long
                Long.MAX_VALUE,
                0x8000_0000_0000_0000L,        // negative read as a long
                0xFFFF_FFFF_FFFF_FC00L,        // -1024: offset + length would be 0
        };
        for (long offset : offsets) {
            assertNull(classify(SpecCapsules.inCapsule(3, 1, 2, offset, 1024, 4096)), "offset 0x" + Long.toHexString(offset));
        }
    }

    @Test
    void inCapsuleDataForAReadGoesToSoftware() {
        ByteBuffer read = SpecCapsules.inCapsule(3, 1, 2, 0, 1024, 4096);
        read.put(0, (byte) READ);
        assertNull(classify(read));
    }

    @Test
    void opcodesOtherThanReadWriteAndFlushGoToSoftware() {
        // Compare, Write Uncorrectable, Write Zeroes, Dataset Management, Verify, Fabrics, vendor specific
        for (int opcode : new int[] {0x05, 0x04, 0x08, 0x09, 0x0C, 0x7F, 0x80, 0xFF}) {
            assertNull(classify(SpecCapsules.keyed(opcode, 1, 1, 1, 512, 0x1000, 42, KEYED_ADDRESS)), "opcode " + opcode);
        }
    }

    @Test
    void opcodesOutsideTheOpsMaskGoToSoftware() {
        CapsuleClassifier readWrite = new CapsuleClassifier(routes, Set.of(OffloadOp.READ, OffloadOp.WRITE), MAX_IO);
        assertNull(classify(readWrite, SpecCapsules.flush(1, 1)));
        CapsuleClassifier readOnly = new CapsuleClassifier(routes, Set.of(OffloadOp.READ), MAX_IO);
        assertNull(classify(readOnly, SpecCapsules.keyed(WRITE, 1, 1, 1, 512, 0x1000, 42, KEYED_ADDRESS)));
        assertNotNull(classify(readOnly, SpecCapsules.keyed(READ, 1, 1, 1, 512, 0x1000, 42, KEYED_ADDRESS)));
    }

    @Test
    void aFlushMovesNoData() {
        ClassifiedCapsule found = classify(SpecCapsules.flush(5, 1));
        assertNotNull(found);
        assertEquals(0, found.length);
        assertEquals(0, found.blocks);
    }

    @Test
    void fusedCommandsGoToSoftwareWhichNeverRunsHalfAPair() {
        for (int fuse = 1; fuse <= 3; fuse++) {
            ByteBuffer b = SpecCapsules.keyed(READ, 1, 1, 1, 512, 0x1000, 42, KEYED_ADDRESS);
            b.put(1, (byte) (SpecCapsules.FLAGS_SGL | fuse));
            assertNull(classify(b), "FUSE " + fuse);
        }
    }

    @Test
    void everyIoCapsuleForAnUnmappedNamespaceGoesToSoftwareAndIsCountedAsUnknownWhateverItsOpcode() {
        CapsuleClassifier readOnly = new CapsuleClassifier(routes, Set.of(OffloadOp.READ), MAX_IO);
        for (int nsid : new int[] {0, 3, 1000, 0xFFFF_FFFF}) {
            assertNull(classify(readOnly, SpecCapsules.keyed(READ, 1, nsid, 1, 512, 0x1000, 42, KEYED_ADDRESS)), "nsid " + nsid);
        }
        assertEquals(4, readOnly.unknownNamespaceCommands());
        // outside the ops mask, or never offloaded at all (Dataset Management): still an unknown namespace
        assertNull(classify(readOnly, SpecCapsules.keyed(WRITE, 1, 3, 1, 512, 0x1000, 42, KEYED_ADDRESS)));
        assertNull(classify(readOnly, SpecCapsules.flush(1, 3)));
        assertNull(classify(readOnly, SpecCapsules.keyed(0x09, 1, 3, 1, 512, 0x1000, 42, KEYED_ADDRESS)));
        assertEquals(7, readOnly.unknownNamespaceCommands());
        assertNull(classify(readOnly, SpecCapsules.keyed(WRITE, 1, 1, 1, 512, 0x1000, 42, KEYED_ADDRESS)));
        assertEquals(7, readOnly.unknownNamespaceCommands(), "a mapped namespace is known, whatever the opcode");
    }

    @Test
    void aFabricsCommandNamesNoNamespaceAndIsNotCountedAsUnknown() {
        CapsuleClassifier c = new CapsuleClassifier(routes, EnumSet.allOf(OffloadOp.class), MAX_IO);
        ByteBuffer propertyGet = SpecCapsules.io(0x7F, 1, 0, 0, 0, SpecCapsules.SQE);
        propertyGet.put(4, (byte) 0x04);  // FCTYPE, where an I/O command has its NSID
        assertNull(classify(c, propertyGet));
        assertEquals(0, c.unknownNamespaceCommands());
    }

    @Test
    void aCapsuleClassifiedAgainAfterWaitingForASlotWasCountedOnArrivalOnly() {
        CapsuleClassifier c = new CapsuleClassifier(routes, EnumSet.allOf(OffloadOp.class), MAX_IO);
        ByteBuffer capsule = SpecCapsules.keyed(READ, 1, 3, 1, 512, 0x1000, 42, KEYED_ADDRESS);
        MemorySegment buffer = SpecCapsules.received(arena, capsule);
        assertNull(c.classifyAgain(buffer, 0, capsule.capacity()));
        assertEquals(0, c.unknownNamespaceCommands());
        assertNull(c.classify(buffer, 0, capsule.capacity()));
        assertEquals(1, c.unknownNamespaceCommands());
    }

    @Test
    void aNamespaceOfAFailedBackendGoesToSoftwareWithoutCountingAsUnknown() {
        CapsuleClassifier c = new CapsuleClassifier(routes, EnumSet.allOf(OffloadOp.class), MAX_IO);
        backend.controller.moveTo(EmulatedBackendController.State.FAILED);
        assertNull(classify(c, SpecCapsules.keyed(READ, 1, 1, 1, 512, 0x1000, 42, KEYED_ADDRESS)));
        assertEquals(0, c.unknownNamespaceCommands());
    }

    @Test
    void aTransferAboveMaxIoSizeGoesToSoftware() {
        assertNotNull(classify(SpecCapsules.keyed(READ, 1, 1, 32, 16384, 0x1000, 42, KEYED_ADDRESS)));
        assertNull(classify(SpecCapsules.keyed(READ, 1, 1, 33, 16896, 0x1000, 42, KEYED_ADDRESS)));
        assertNull(classify(SpecCapsules.keyed(READ, 1, 1, 0x10000, 0xFFFFFF, 0x1000, 42, KEYED_ADDRESS)), "NLB FFFFh");
    }

    @Test
    void aCapsuleShorterThanAnSqeGoesToSoftware() {
        ByteBuffer whole = SpecCapsules.keyed(READ, 1, 1, 1, 512, 0x1000, 42, KEYED_ADDRESS);
        ByteBuffer shortCapsule = ByteBuffer.wrap(Arrays.copyOf(whole.array(), 63));
        assertNull(classify(shortCapsule));
    }

    @Test
    void aWriteWithAnSglTheRdmaTransportDoesNotUseGoesToSoftware() {
        ByteBuffer segment = SpecCapsules.inCapsule(1, 1, 1, 0, 512, 512);
        segment.put(39, (byte) 0x20);  // Segment descriptor
        assertNull(classify(segment));
        ByteBuffer address = SpecCapsules.inCapsule(1, 1, 1, 0, 512, 512);
        address.put(39, (byte) 0x00);  // data block with an address: not over fabrics
        assertNull(classify(address));
    }
}
