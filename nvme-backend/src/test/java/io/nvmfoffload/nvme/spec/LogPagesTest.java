package io.nvmfoffload.nvme.spec;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class LogPagesTest {

    @Test
    void smartCountersLandAtSpecOffsets() {
        MemorySegment m = MemorySegment.ofArray(new byte[512]);
        new SmartLog(m).criticalWarning(1).compositeTemperature(310).availableSpare(100).availableSpareThreshold(10)
                .percentageUsed(3).dataUnitsRead(11).dataUnitsWritten(12).hostReadCommands(13).hostWriteCommands(14)
                .controllerBusyTime(15).powerCycles(16).powerOnHours(17).unsafeShutdowns(18).mediaErrors(19)
                .errorLogEntries(20);
        assertEquals(1, Le.u8(m, 0));
        assertEquals(310, Le.u16(m, 1));
        assertEquals(100, Le.u8(m, 3));
        assertEquals(10, Le.u8(m, 4));
        assertEquals(3, Le.u8(m, 5));
        long[] expected = {11, 12, 13, 14, 15, 16, 17, 18, 19, 20};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], Le.u64(m, 32 + 16L * i), "counter at " + (32 + 16 * i));
            assertEquals(0, Le.u64(m, 40 + 16L * i), "high quadword at " + (40 + 16 * i));
        }
    }

    @Test
    void dataUnitsAreThousandsOf512ByteUnitsRoundedUp() {
        assertEquals(0, SmartLog.dataUnits(0));
        assertEquals(1, SmartLog.dataUnits(1));
        assertEquals(1, SmartLog.dataUnits(512_000));
        assertEquals(2, SmartLog.dataUnits(512_001));
        assertEquals(8, SmartLog.dataUnits(4096L * 1000));
    }

    @Test
    void errorEntryHoldsStatusAboveThePhaseBit() {
        MemorySegment m = MemorySegment.ofArray(new byte[64]);
        ErrorInformationEntry e = new ErrorInformationEntry().wrap(m, 0)
                .set(5, 2, 0x77, NvmeStatus.LBA_OUT_OF_RANGE.field(true), false, 0xFFFF, 1234, 1);
        assertEquals(5, Le.u64(m, 0));
        assertEquals(2, Le.u16(m, 8));
        assertEquals(0x77, Le.u16(m, 10));
        assertEquals((0x80 | 1 << 14) << 1, Le.u16(m, 12));
        assertEquals(0xFFFF, Le.u16(m, 14));
        assertEquals(1234, Le.u64(m, 16));
        assertEquals(1, Le.u32(m, 24));
        assertEquals(NvmeStatus.LBA_OUT_OF_RANGE, NvmeStatus.lookup(e.status()));
    }

    @Test
    void firmwareSlotLogHoldsActiveSlotAndRevisions() {
        MemorySegment m = MemorySegment.ofArray(new byte[512]);
        new FirmwareSlotLog().wrap(m, 0).afi(1, 2).revision(1, "1.0").revision(7, "7.7");
        assertEquals(0x21, Le.u8(m, 0));
        assertEquals('1', Le.u8(m, 8));
        assertEquals('7', Le.u8(m, 56));
    }

    @Test
    void changedNamespaceListOverflowsToOneAllOnesEntry() {
        MemorySegment m = MemorySegment.ofArray(new byte[4096]);
        ChangedNamespaceList.write(m, 0, new int[] {3, 9}, 2);
        assertEquals(3, Le.u32(m, 0));
        assertEquals(9, Le.u32(m, 4));
        assertEquals(0, Le.u32(m, 8));
        ChangedNamespaceList.write(m, 0, new int[1024], 1025);
        assertEquals(0xFFFFFFFF, Le.u32(m, 0));
        assertEquals(0, Le.u32(m, 4));
    }

    @Test
    void commandEffectsHaveAdminThenIoDwords() {
        MemorySegment m = MemorySegment.ofArray(new byte[4096]);
        new CommandEffectsLog().wrap(m, 0).admin(AdminOpcode.IDENTIFY, CommandEffectsLog.CSUPP)
                .io(NvmOpcode.WRITE, CommandEffectsLog.CSUPP | CommandEffectsLog.LBCC);
        assertEquals(1, Le.u32(m, 6 * 4));
        assertEquals(3, Le.u32(m, 1024 + 4));
    }

    @Test
    void activeNamespaceListHoldsIdsAboveTheCommandsNsidInOrder() {
        MemorySegment m = MemorySegment.ofArray(new byte[4096]);
        assertEquals(2, ActiveNamespaceList.write(m, 0, 2, new int[] {7, 1, 3, 2}));
        assertArrayEquals(new int[] {3, 7}, ActiveNamespaceList.read(m, 0));
    }

    @Test
    void namespaceIdDescriptorsRoundTrip() {
        MemorySegment m = MemorySegment.ofArray(new byte[4096]);
        UUID u = UUID.fromString("01234567-89ab-cdef-0123-456789abcdef");
        new NamespaceIdDescriptorList(m, 0).eui64(new byte[8]).nguid(new byte[16]).uuid(u).csi(0);
        assertEquals(NamespaceIdDescriptorList.NIDT_EUI64, Le.u8(m, 0));
        assertEquals(8, Le.u8(m, 1));
        assertEquals(NamespaceIdDescriptorList.NIDT_NGUID, Le.u8(m, 12));
        assertEquals(16, Le.u8(m, 13));
        assertEquals(NamespaceIdDescriptorList.NIDT_UUID, Le.u8(m, 32));
        // RFC 4122 byte order: the UUID's first byte comes first.
        assertEquals(0x01, Le.u8(m, 36));
        List<NamespaceIdDescriptorList.Descriptor> ds = NamespaceIdDescriptorList.read(m, 0);
        assertEquals(4, ds.size());
        assertEquals(u, NamespaceIdDescriptorList.toUuid(ds.get(2).value()));
        assertEquals(NamespaceIdDescriptorList.NIDT_CSI, ds.get(3).type());
    }
}
