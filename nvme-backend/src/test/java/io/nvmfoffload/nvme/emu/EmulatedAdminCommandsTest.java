package io.nvmfoffload.nvme.emu;

import io.nvmfoffload.nvme.driver.HostQueuePair;
import io.nvmfoffload.nvme.driver.NvmeHost;
import io.nvmfoffload.nvme.spec.ActiveNamespaceList;
import io.nvmfoffload.nvme.spec.AdminOpcode;
import io.nvmfoffload.nvme.spec.CommandEffectsLog;
import io.nvmfoffload.nvme.spec.ControllerRegisters;
import io.nvmfoffload.nvme.spec.ErrorInformationEntry;
import io.nvmfoffload.nvme.spec.FeatureId;
import io.nvmfoffload.nvme.spec.IdentifyCns;
import io.nvmfoffload.nvme.spec.IdentifyController;
import io.nvmfoffload.nvme.spec.IdentifyNamespace;
import io.nvmfoffload.nvme.spec.Le;
import io.nvmfoffload.nvme.spec.LogPageId;
import io.nvmfoffload.nvme.spec.NamespaceIdDescriptorList;
import io.nvmfoffload.nvme.spec.NvmOpcode;
import io.nvmfoffload.nvme.spec.NvmeStatus;
import io.nvmfoffload.nvme.spec.SmartLog;
import io.nvmfoffload.nvme.spec.SubmissionQueueEntry;
import io.nvmfoffload.nvme.store.RamNamespaceStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmulatedAdminCommandsTest {
    private final EmuFixture f = new EmuFixture(b -> b.maxIoQueues(4).maxQueueEntries(64).mdts(4).serialNumber("SN-42"));
    private final Arena arena = Arena.ofShared();

    @AfterEach
    void close() {
        f.close();
        arena.close();
    }

    private NvmeStatus status(Consumer<SubmissionQueueEntry> fill) {
        return f.host.adminCommand(fill).named();
    }

    /** Page-aligned memory registered for DMA, for queue rings built by hand. */
    private long ring() {
        MemorySegment m = arena.allocate(4096 * 2, 4096);
        f.dma.register(m);
        return m.address();
    }

    // --- Identify ---

    @Test
    void identifyControllerDescribesTheEmulatedController() {
        IdentifyController id = new IdentifyController(f.host.identifyController());
        assertEquals("SN-42", id.serialNumber());
        assertEquals(4, id.mdts());
        assertEquals(1, id.nn());
        assertEquals(0x66, id.sqes());
        assertEquals(0x44, id.cqes());
        assertEquals(0x00020000, id.ver());
        assertEquals(IdentifyController.ONCS_DATASET_MANAGEMENT | IdentifyController.ONCS_WRITE_ZEROES, id.oncs());
        assertEquals(0, id.sgls(), "a PCIe controller here takes PRPs only");
        assertEquals(15, id.elpe());
        assertTrue(id.subnqn().startsWith("nqn.2014-08.org.nvmexpress:"));
    }

    @Test
    void identifyNamespaceDescribesTheStore() {
        IdentifyNamespace id = new IdentifyNamespace(f.host.identify(IdentifyCns.NAMESPACE, 1));
        assertEquals(EmuFixture.BLOCKS, id.nsze());
        assertEquals(EmuFixture.BLOCKS, id.ncap());
        assertEquals(4096, id.blockSize());
        assertEquals(IdentifyNamespace.DLFEAT_READ_ZEROES, id.dlfeat() & 0x7);
        assertArrayEquals(f.store.identity().nguid(), id.nguid());
        assertArrayEquals(f.store.identity().eui64(), id.eui64());
    }

    @Test
    void identifyOfAMissingNamespaceIsInvalidNamespace() {
        assertEquals(NvmeStatus.INVALID_NAMESPACE_OR_FORMAT, status(s -> {
            s.opcode(AdminOpcode.IDENTIFY).nsid(2).cdw10(IdentifyCns.NAMESPACE);
            f.host.useDataBuffer(s, 4096);
        }));
        assertEquals(NvmeStatus.INVALID_NAMESPACE_OR_FORMAT, status(s -> {
            s.opcode(AdminOpcode.IDENTIFY).nsid(0).cdw10(IdentifyCns.NAMESPACE_ID_DESCRIPTORS);
            f.host.useDataBuffer(s, 4096);
        }));
    }

    @Test
    void activeNamespaceListAndDescriptorsIdentifyTheNamespace() {
        assertArrayEquals(new int[] {1}, ActiveNamespaceList.read(f.host.identify(IdentifyCns.ACTIVE_NAMESPACE_LIST, 0), 0));
        assertArrayEquals(new int[0], ActiveNamespaceList.read(f.host.identify(IdentifyCns.ACTIVE_NAMESPACE_LIST, 1), 0));
        var ds = NamespaceIdDescriptorList.read(f.host.identify(IdentifyCns.NAMESPACE_ID_DESCRIPTORS, 1), 0);
        assertEquals(4, ds.size());
        assertEquals(f.store.identity().uuid(), NamespaceIdDescriptorList.toUuid(ds.get(2).value()));
    }

    @Test
    void unsupportedCnsIsInvalidField() {
        assertEquals(NvmeStatus.INVALID_FIELD_IN_COMMAND, status(s -> {
            s.opcode(AdminOpcode.IDENTIFY).cdw10(0x15);
            f.host.useDataBuffer(s, 4096);
        }));
    }

    @Test
    void identifyIntoUnmappedMemoryIsDataTransferError() {
        assertEquals(NvmeStatus.DATA_TRANSFER_ERROR,
                status(s -> s.opcode(AdminOpcode.IDENTIFY).cdw10(IdentifyCns.CONTROLLER).prp1(0x6000_0000_0000L)));
    }

    // --- Queue creation and deletion ---

    @Test
    void createCqWithQueueIdZeroIsInvalidQueueIdentifier() {
        assertEquals(NvmeStatus.INVALID_QUEUE_IDENTIFIER, f.host.createCompletionQueue(0, 8, ring()).named());
    }

    @Test
    void createCqTwiceIsInvalidQueueIdentifier() {
        long r = ring();
        assertTrue(f.host.createCompletionQueue(1, 8, r).isSuccess());
        assertEquals(NvmeStatus.INVALID_QUEUE_IDENTIFIER, f.host.createCompletionQueue(1, 8, ring()).named());
    }

    @Test
    void createCqBeyondTheAllocatedQueuesIsInvalidQueueIdentifier() {
        assertEquals(FeatureId.numberOfQueues(2, 2), f.host.setNumberOfQueues(2, 2));
        assertEquals(NvmeStatus.INVALID_QUEUE_IDENTIFIER, f.host.createCompletionQueue(3, 8, ring()).named());
        assertTrue(f.host.createCompletionQueue(2, 8, ring()).isSuccess());
    }

    @Test
    void createCqOfOneEntryIsInvalidQueueSize() {
        assertEquals(NvmeStatus.INVALID_QUEUE_SIZE, f.host.createCompletionQueue(1, 1, ring()).named());
    }

    @Test
    void createCqLargerThanMqesIsInvalidQueueSize() {
        assertEquals(NvmeStatus.INVALID_QUEUE_SIZE, f.host.createCompletionQueue(1, 65, ring()).named());
        assertTrue(f.host.createCompletionQueue(1, 64, ring()).isSuccess());
    }

    @Test
    void createCqThatIsNotPhysicallyContiguousIsInvalidField() {
        long r = ring();
        assertEquals(NvmeStatus.INVALID_FIELD_IN_COMMAND,
                status(s -> s.opcode(AdminOpcode.CREATE_IO_CQ).prp1(r).cdw10(1 | 7 << 16).cdw11(0)));
    }

    @Test
    void createCqWithInterruptVectorOtherThanZeroIsInvalidInterruptVector() {
        long r = ring();
        assertEquals(NvmeStatus.INVALID_INTERRUPT_VECTOR,
                status(s -> s.opcode(AdminOpcode.CREATE_IO_CQ).prp1(r).cdw10(1 | 7 << 16).cdw11(1 | 2 | 3 << 16)));
    }

    @Test
    void createCqAtAnUnalignedAddressIsInvalidPrpOffset() {
        assertEquals(NvmeStatus.INVALID_PRP_OFFSET, f.host.createCompletionQueue(1, 8, ring() + 64).named());
    }

    @Test
    void createCqOutsideTheDmaSpaceIsDataTransferError() {
        assertEquals(NvmeStatus.DATA_TRANSFER_ERROR, f.host.createCompletionQueue(1, 8, 0x5000_0000_0000L).named());
    }

    @Test
    void createSqOnAMissingCqIsCompletionQueueInvalid() {
        assertEquals(NvmeStatus.COMPLETION_QUEUE_INVALID, f.host.createSubmissionQueue(1, 8, ring(), 2).named());
    }

    @Test
    void createSqOnTheAdminCqIsCompletionQueueInvalid() {
        assertEquals(NvmeStatus.COMPLETION_QUEUE_INVALID, f.host.createSubmissionQueue(1, 8, ring(), 0).named());
    }

    @Test
    void createSqWithAnExistingIdIsInvalidQueueIdentifier() {
        assertTrue(f.host.createCompletionQueue(1, 8, ring()).isSuccess());
        assertTrue(f.host.createSubmissionQueue(1, 8, ring(), 1).isSuccess());
        assertEquals(NvmeStatus.INVALID_QUEUE_IDENTIFIER, f.host.createSubmissionQueue(1, 8, ring(), 1).named());
        assertEquals(NvmeStatus.INVALID_QUEUE_SIZE, f.host.createSubmissionQueue(2, 1000, ring(), 1).named());
    }

    @Test
    void deletingACqWithAnSqOnItIsInvalidQueueDeletion() {
        HostQueuePair qp = f.host.createIoQueuePair(1, 8);
        assertEquals(NvmeStatus.INVALID_QUEUE_DELETION, f.host.deleteCompletionQueue(1).named());
        f.host.deleteIoQueuePair(qp);
    }

    @Test
    void deletingAMissingOrAdminQueueIsInvalidQueueIdentifier() {
        assertEquals(NvmeStatus.INVALID_QUEUE_IDENTIFIER, f.host.deleteSubmissionQueue(3).named());
        assertEquals(NvmeStatus.INVALID_QUEUE_IDENTIFIER, f.host.deleteCompletionQueue(3).named());
        assertEquals(NvmeStatus.INVALID_QUEUE_IDENTIFIER, f.host.deleteSubmissionQueue(0).named());
        assertEquals(NvmeStatus.INVALID_QUEUE_IDENTIFIER, f.host.deleteCompletionQueue(0).named());
    }

    @Test
    void deletedQueueIdsCanBeCreatedAgain() {
        f.host.deleteIoQueuePair(f.host.createIoQueuePair(1, 8));
        HostQueuePair again = f.host.createIoQueuePair(1, 16);
        assertTrue(f.write(again, 0, 1, 0).isSuccess());
    }

    @Test
    void aRecreatedQueueStartsFromZeroWhateverTheOldQueuesDoorbellsSaid() {
        HostQueuePair old = f.host.createIoQueuePair(1, 8);
        for (int i = 0; i < 3; i++) {
            assertTrue(f.write(old, i, 1, 0).isSuccess());
        }
        f.host.deleteIoQueuePair(old);  // the SQ tail and CQ head doorbells still read 3
        HostQueuePair again = f.host.createIoQueuePair(1, 8);
        long before = f.ctrl.completedCommands();
        assertTrue(f.write(again, 0, 1, 0).isSuccess());
        assertEquals(before + 1, f.ctrl.completedCommands(), "only the one new command ran, no stale ring entries");
    }

    // --- Features ---

    @Test
    void numberOfQueuesIsClampedToWhatTheControllerHas() {
        int dw0 = f.host.setNumberOfQueues(64, 2);
        assertEquals(4, FeatureId.submissionQueues(dw0));
        assertEquals(2, FeatureId.completionQueues(dw0));
        NvmeHost.Completion get = f.host.adminCommand(s -> s.opcode(AdminOpcode.GET_FEATURES).cdw10(FeatureId.NUMBER_OF_QUEUES));
        assertEquals(dw0, get.dw0());
    }

    @Test
    void numberOfQueuesAfterIoQueuesExistIsCommandSequenceError() {
        f.host.createIoQueuePair(1, 8);
        assertEquals(NvmeStatus.COMMAND_SEQUENCE_ERROR, status(s -> s.opcode(AdminOpcode.SET_FEATURES)
                .cdw10(FeatureId.NUMBER_OF_QUEUES).cdw11(FeatureId.numberOfQueues(2, 2))));
    }

    @Test
    void requestingFFFFhQueuesIsInvalidField() {
        assertEquals(NvmeStatus.INVALID_FIELD_IN_COMMAND, status(s -> s.opcode(AdminOpcode.SET_FEATURES)
                .cdw10(FeatureId.NUMBER_OF_QUEUES).cdw11(0xFFFF)));
    }

    @Test
    void savingAFeatureIsNotSupported() {
        assertEquals(NvmeStatus.FEATURE_IDENTIFIER_NOT_SAVEABLE, status(s -> s.opcode(AdminOpcode.SET_FEATURES)
                .cdw10(FeatureId.NUMBER_OF_QUEUES | 1 << 31).cdw11(0)));
    }

    @Test
    void unknownFeatureIsInvalidField() {
        assertEquals(NvmeStatus.INVALID_FIELD_IN_COMMAND, status(s -> s.opcode(AdminOpcode.GET_FEATURES).cdw10(0x7E)));
    }

    @Test
    void volatileWriteCacheCannotBeSetWithoutOne() {
        assertEquals(NvmeStatus.INVALID_FIELD_IN_COMMAND, status(s -> s.opcode(AdminOpcode.SET_FEATURES)
                .cdw10(FeatureId.VOLATILE_WRITE_CACHE).cdw11(1)));
    }

    @Test
    void asyncEventConfigurationAndKeepAliveAreStored() {
        assertEquals(NvmeStatus.SUCCESS, status(s -> s.opcode(AdminOpcode.SET_FEATURES)
                .cdw10(FeatureId.ASYNC_EVENT_CONFIGURATION).cdw11(0)));
        assertEquals(0, f.host.adminCommand(s -> s.opcode(AdminOpcode.GET_FEATURES).cdw10(FeatureId.ASYNC_EVENT_CONFIGURATION)).dw0());
        assertEquals(NvmeStatus.SUCCESS, status(s -> s.opcode(AdminOpcode.SET_FEATURES)
                .cdw10(FeatureId.KEEP_ALIVE_TIMER).cdw11(60_000)));
        assertEquals(60_000, f.host.adminCommand(s -> s.opcode(AdminOpcode.GET_FEATURES).cdw10(FeatureId.KEEP_ALIVE_TIMER)).dw0());
    }

    @Test
    void keepAliveTimerExpiryIsFatal() throws InterruptedException {
        assertEquals(NvmeStatus.SUCCESS, status(s -> s.opcode(AdminOpcode.SET_FEATURES)
                .cdw10(FeatureId.KEEP_ALIVE_TIMER).cdw11(400)));
        assertEquals(NvmeStatus.SUCCESS, status(s -> s.opcode(AdminOpcode.KEEP_ALIVE)));
        f.ctrl.poll();
        assertNull(f.ctrl.fatalReason(), "the timer is running, not expired");
        Thread.sleep(500);
        f.ctrl.poll();
        assertTrue(ControllerRegisters.cstsCfs(f.ctrl.registers().csts()));
        assertTrue(f.ctrl.fatalReason().contains("Keep Alive"), f.ctrl.fatalReason());
    }

    // --- Log pages ---

    @Test
    void smartLogCountsHostCommandsAndDataUnits() {
        HostQueuePair qp = f.host.createIoQueuePair(1, 8);
        for (int i = 0; i < 3; i++) {
            assertTrue(f.write(qp, i * 8, 8, 0).isSuccess());
        }
        assertTrue(f.read(qp, 0, 1, 0).isSuccess());
        SmartLog smart = new SmartLog(f.host.getLogPage(LogPageId.SMART_HEALTH, 0xFFFFFFFF, 512));
        assertEquals(3, smart.hostWriteCommands());
        assertEquals(1, smart.hostReadCommands());
        // 3 x 32 KiB written = 192 units of 512 bytes, reported as 1 (thousands, rounded up).
        assertEquals(1, smart.dataUnitsWritten());
        assertEquals(1, smart.dataUnitsRead());
        assertEquals(100, smart.availableSpare());
    }

    @Test
    void perNamespaceSmartIsInvalidField() {
        assertEquals(NvmeStatus.INVALID_FIELD_IN_COMMAND, status(s -> {
            s.opcode(AdminOpcode.GET_LOG_PAGE).nsid(1).logPage(LogPageId.SMART_HEALTH, 512, 0);
            f.host.useDataBuffer(s, 512);
        }));
    }

    @Test
    void errorLogRecordsFailedCommandsNewestFirst() {
        HostQueuePair qp = f.host.createIoQueuePair(1, 8);
        assertEquals(NvmeStatus.LBA_OUT_OF_RANGE, f.read(qp, EmuFixture.BLOCKS, 1, 0).named());
        assertEquals(NvmeStatus.INVALID_COMMAND_OPCODE, status(s -> s.opcode(0x3E)));
        MemorySegment log = f.host.getLogPage(LogPageId.ERROR_INFORMATION, 0, 2 * 64);
        ErrorInformationEntry newest = new ErrorInformationEntry().wrap(log, 0);
        ErrorInformationEntry older = new ErrorInformationEntry().wrap(log, 64);
        assertEquals(2, newest.errorCount());
        assertEquals(0, newest.sqid());
        assertEquals(NvmeStatus.INVALID_COMMAND_OPCODE, NvmeStatus.lookup(newest.status()));
        assertEquals(1, older.errorCount());
        assertEquals(1, older.sqid());
        assertEquals(EmuFixture.BLOCKS, older.lba());
        assertEquals(NvmeStatus.LBA_OUT_OF_RANGE, NvmeStatus.lookup(older.status()));
    }

    @Test
    void firmwareSlotAndCommandEffectsLogsAreReported() {
        MemorySegment fw = f.host.getLogPage(LogPageId.FIRMWARE_SLOT, 0, 512);
        assertEquals(1, Le.u8(fw, 0) & 0x7);
        CommandEffectsLog effects = new CommandEffectsLog().wrap(f.host.getLogPage(LogPageId.COMMANDS_SUPPORTED_AND_EFFECTS, 0, 4096), 0);
        assertEquals(CommandEffectsLog.CSUPP, effects.admin(AdminOpcode.IDENTIFY));
        assertEquals(CommandEffectsLog.CSUPP | CommandEffectsLog.LBCC, effects.io(NvmOpcode.WRITE));
        assertEquals(0, effects.io(NvmOpcode.COMPARE));
    }

    @Test
    void unknownLogPageIsInvalidLogPage() {
        assertEquals(NvmeStatus.INVALID_LOG_PAGE, status(s -> {
            s.opcode(AdminOpcode.GET_LOG_PAGE).logPage(0x42, 512, 0);
            f.host.useDataBuffer(s, 512);
        }));
    }

    @Test
    void logPageOffsetPastTheEndIsInvalidField() {
        assertEquals(NvmeStatus.INVALID_FIELD_IN_COMMAND, status(s -> {
            s.opcode(AdminOpcode.GET_LOG_PAGE).logPage(LogPageId.SMART_HEALTH, 4, 512);
            f.host.useDataBuffer(s, 4);
        }));
    }

    // --- Other admin commands ---

    @Test
    void unknownAdminOpcodeIsInvalidCommandOpcode() {
        assertEquals(NvmeStatus.INVALID_COMMAND_OPCODE, status(s -> s.opcode(AdminOpcode.FORMAT_NVM)));
        assertEquals(NvmeStatus.INVALID_COMMAND_OPCODE, status(s -> s.opcode(AdminOpcode.FABRICS)));
    }

    @Test
    void namespaceResizeCompletesAnAsyncEventRequestWithANotice() {
        HostQueuePair admin = f.host.admin();
        admin.nextSubmission().opcode(AdminOpcode.ASYNC_EVENT_REQUEST).cid(0x700);
        admin.submit();
        f.ctrl.poll();
        assertNull(admin.peekCompletion(), "an AER waits for an event");
        f.store.resize(EmuFixture.BLOCKS * 2);
        f.ctrl.poll();
        var cqe = admin.peekCompletion();
        assertNotNull(cqe);
        assertEquals(0x700, cqe.cid());
        assertEquals(0x2, cqe.dw0() & 0x7, "event type Notice");
        assertEquals(0x00, cqe.dw0() >>> 8 & 0xFF, "Namespace Attribute Changed");
        assertEquals(LogPageId.CHANGED_NAMESPACE_LIST, cqe.dw0() >>> 16 & 0xFF);
        admin.release();
        MemorySegment changed = f.host.getLogPage(LogPageId.CHANGED_NAMESPACE_LIST, 0, 4096);
        assertEquals(1, Le.u32(changed, 0));
        assertEquals(0, Le.u32(changed, 4));
        assertEquals(EmuFixture.BLOCKS * 2L, new IdentifyNamespace(f.host.identify(IdentifyCns.NAMESPACE, 1)).nsze());
    }

    @Test
    void namespaceNoticesWaitForTheConfigurationAndForTheHostToReadTheList() {
        assertEquals(NvmeStatus.SUCCESS, status(s -> s.opcode(AdminOpcode.SET_FEATURES)
                .cdw10(FeatureId.ASYNC_EVENT_CONFIGURATION).cdw11(0)));
        HostQueuePair admin = f.host.admin();
        for (int cid = 0x800; cid < 0x802; cid++) {
            admin.nextSubmission().opcode(AdminOpcode.ASYNC_EVENT_REQUEST).cid(cid);
            admin.submit();
        }
        f.store.resize(EmuFixture.BLOCKS + 8);
        f.ctrl.poll();
        assertNull(admin.peekCompletion(), "notices are disabled");
        assertEquals(NvmeStatus.SUCCESS, status(s -> s.opcode(AdminOpcode.SET_FEATURES)
                .cdw10(FeatureId.ASYNC_EVENT_CONFIGURATION).cdw11(FeatureId.AEC_NAMESPACE_ATTRIBUTE_NOTICES)));
        // The Set Features completion came first; the notice follows on the next pass.
        f.ctrl.poll();
        var notice = admin.peekCompletion();
        assertNotNull(notice);
        assertEquals(AsyncEvents.NAMESPACE_ATTRIBUTE_CHANGED, notice.dw0());
        admin.release();
        f.store.resize(EmuFixture.BLOCKS + 16);
        f.ctrl.poll();
        assertNull(admin.peekCompletion(), "masked until the Changed Namespace List is read");
        f.host.getLogPage(LogPageId.CHANGED_NAMESPACE_LIST, 0, 4096);
        f.ctrl.poll();
        assertNotNull(admin.peekCompletion(), "unmasked by reading the list");
        admin.release();
    }

    @Test
    void moreAsyncEventRequestsThanTheLimitIsLimitExceeded() {
        HostQueuePair admin = f.host.admin();
        for (int i = 0; i < 4; i++) {
            admin.nextSubmission().opcode(AdminOpcode.ASYNC_EVENT_REQUEST).cid(i);
            admin.submit();
        }
        f.ctrl.poll();
        assertNull(admin.peekCompletion());
        assertEquals(NvmeStatus.ASYNC_EVENT_REQUEST_LIMIT_EXCEEDED, status(s -> s.opcode(AdminOpcode.ASYNC_EVENT_REQUEST)));
    }

    @Test
    void abortReportsTheCommandWasNotAborted() {
        NvmeHost.Completion c = f.host.adminCommand(s -> s.opcode(AdminOpcode.ABORT).cdw10(1 | 5 << 16));
        assertTrue(c.isSuccess());
        assertEquals(1, c.dw0() & 1);
    }

    @Test
    void namespacesBeyondTheFirstGetConsecutiveIds() {
        try (RamNamespaceStore second = RamNamespaceStore.create("second", 512, 100)) {
            DmaSpace dma = new DmaSpace();
            try (EmulatedController c = EmulatedController.builder(dma).namespace(f.store).namespace(second).build();
                 NvmeHost h = new NvmeHost(c.registers(), dma, c::poll, java.time.Duration.ofSeconds(3))) {
                h.enable(4);
                assertEquals(2, new IdentifyController(h.identifyController()).nn());
                IdentifyNamespace ns2 = new IdentifyNamespace(h.identify(IdentifyCns.NAMESPACE, 2));
                assertEquals(100, ns2.nsze());
                assertEquals(512, ns2.blockSize());
                assertArrayEquals(new int[] {1, 2}, ActiveNamespaceList.read(h.identify(IdentifyCns.ACTIVE_NAMESPACE_LIST, 0), 0));
            }
        }
    }
}
