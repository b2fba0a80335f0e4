package io.nvmfoffload.nvmf.core;

import io.nvmfoffload.nvme.spec.AdminOpcode;
import io.nvmfoffload.nvme.spec.ControllerRegisters;
import io.nvmfoffload.nvme.spec.FabricsCommand;
import io.nvmfoffload.nvme.spec.FabricsCommandType;
import io.nvmfoffload.nvme.spec.FeatureId;
import io.nvmfoffload.nvme.spec.IdentifyController;
import io.nvmfoffload.nvme.spec.LogPageId;
import io.nvmfoffload.nvme.spec.NvmOpcode;
import io.nvmfoffload.nvme.spec.NvmeStatus;
import io.nvmfoffload.nvme.store.RamNamespaceStore;
import io.nvmfoffload.nvmf.HostLimits;
import io.nvmfoffload.nvmf.Nqn;
import io.nvmfoffload.nvmf.Port;
import io.nvmfoffload.nvmf.Target;
import io.nvmfoffload.nvmf.TransportType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The core against hosts that send what the specification forbids or race themselves. */
class CarelessHostCoreTest {
    private static final String NQN = "nqn.2026-11.io.test:careless";
    private static final String HOST = "nqn.2014-08.org.nvmexpress:uuid:0c4d1f3a-3b8e-4f7e-9f1a-5d2c7b9e8a10";
    private static final UUID HOST_ID = UUID.fromString("0c4d1f3a-3b8e-4f7e-9f1a-5d2c7b9e8a10");
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Target target;
    private Port port;
    private TargetCore core;

    @BeforeEach
    void setUp() {
        target = new Target();
        target.addSubsystem(NQN, "SN1", "model", true);
        target.addNamespace(NQN, 1, RamNamespaceStore.create("ns1", 512, 2048));
        port = Port.of(1, TransportType.TCP, "127.0.0.1", 4420);
        target.addPort(port);
        target.link(1, NQN);
        core = new TargetCore(target);
    }

    @AfterEach
    void tearDown() {
        core.close();
    }

    private static int status(Request r) {
        return r.cqe().status();
    }

    private RecordingTransport enabledAdmin() {
        RecordingTransport admin = new RecordingTransport(core, port);
        assertEquals(0, status(admin.connect(0, NQN, HOST, 0xFFFF, HOST_ID, 0)), "admin connect");
        assertEquals(0, status(admin.enable()));
        return admin;
    }

    private RecordingTransport ioQueue(RecordingTransport admin, int qid) {
        RecordingTransport io = new RecordingTransport(core, port);
        assertEquals(0, status(io.connect(qid, NQN, HOST, admin.completed.get(0).cqe().dw0(), HOST_ID, 0)), "I/O connect");
        return io;
    }

    @Test
    void propertySetOnAnIoQueueIsInvalidOpcodeAndLeavesTheControllerEnabled() {
        RecordingTransport admin = enabledAdmin();
        RecordingTransport io = ioQueue(admin, 1);
        assertEquals(NvmeStatus.INVALID_COMMAND_OPCODE.field(true), status(io.propertySet(ControllerRegisters.CC, 0)));
        assertEquals(NvmeStatus.INVALID_COMMAND_OPCODE.field(true), status(io.propertyGet(ControllerRegisters.CSTS, 4)));
        assertEquals(ControllerRegisters.CSTS_RDY, admin.propertyGet(ControllerRegisters.CSTS, 4).cqe().dw0() & 1, "still ready");
    }

    @Test
    void disconnectOnTheAdminQueueIsInvalidQueueTypeAndOnAnIoQueueEndsOnlyThatQueue() {
        RecordingTransport admin = enabledAdmin();
        RecordingTransport io = ioQueue(admin, 1);
        Request d = admin.newRequest(0);
        new FabricsCommand().wrap(d.sqe()).property(FabricsCommandType.DISCONNECT, d.sqe().cid(), 0, 4, 0);
        assertEquals(NvmeStatus.INVALID_QUEUE_TYPE.field(true), status(admin.run(d)));
        assertNull(admin.disconnectReason);
        Request d2 = io.newRequest(0);
        new FabricsCommand().wrap(d2.sqe()).property(FabricsCommandType.DISCONNECT, d2.sqe().cid(), 0, 4, 0);
        assertEquals(0, status(io.run(d2)));
        assertNotNull(io.disconnectReason);
    }

    @Test
    void anIoQueueTheTransportCannotInstallFailsItsConnectAndLeavesTheQidFree() {
        RecordingTransport admin = enabledAdmin();
        int cntlid = admin.completed.getFirst().cqe().dw0() & 0xFFFF;
        RecordingTransport refused = new RecordingTransport(core, port);
        refused.installStatus = NvmeStatus.INTERNAL_ERROR.field(true);
        assertEquals(NvmeStatus.INTERNAL_ERROR.field(true), status(refused.connect(1, NQN, HOST, cntlid, HOST_ID, 0)),
                "the switch to offload failed: the CONNECT fails with Internal Error and DNR");
        assertEquals(-1, refused.queue.qid(), "the queue is not connected");
        Request read = refused.newRequest(512);
        read.sqe().opcode(NvmOpcode.READ).nsid(1);
        assertEquals(NvmeStatus.COMMAND_SEQUENCE_ERROR.field(true), status(refused.run(read)), "it serves no I/O");
        RecordingTransport retry = new RecordingTransport(core, port);
        assertEquals(0, status(retry.connect(1, NQN, HOST, cntlid, HOST_ID, 0)), "qid 1 is free for the host's next try");
    }

    @Test
    void adminCommandsAndIoBeforeEnableAreCommandSequenceErrors() {
        RecordingTransport admin = new RecordingTransport(core, port);
        assertEquals(0, status(admin.connect(0, NQN, HOST, 0xFFFF, HOST_ID, 0)));
        Request id = admin.newRequest(IdentifyController.SIZE);
        id.sqe().opcode(AdminOpcode.IDENTIFY).cdw(10, 1);
        assertEquals(NvmeStatus.COMMAND_SEQUENCE_ERROR.field(true), status(admin.run(id)));
    }

    @Test
    void shutdownClearsReadyAndStopsIo() {
        RecordingTransport admin = enabledAdmin();
        RecordingTransport io = ioQueue(admin, 1);
        int shutdown = 1 | 6 << ControllerRegisters.CC_IOSQES_SHIFT | 4 << ControllerRegisters.CC_IOCQES_SHIFT
                | 1 << ControllerRegisters.CC_SHN_SHIFT;
        assertEquals(0, status(admin.propertySet(ControllerRegisters.CC, shutdown)));
        int csts = admin.propertyGet(ControllerRegisters.CSTS, 4).cqe().dw0();
        assertEquals(0, csts & ControllerRegisters.CSTS_RDY, "RDY clear after shutdown");
        assertNotEquals(0, csts & ControllerRegisters.CSTS_SHST_MASK, "shutdown complete");
        Request read = io.newRequest(512);
        read.sqe().opcode(NvmOpcode.READ).nsid(1);
        assertEquals(NvmeStatus.COMMAND_SEQUENCE_ERROR.field(true), status(io.run(read)));
        assertNotNull(io.disconnectReason, "a shutdown deletes the I/O queues: the transport is told to close them");
    }

    @Test
    void aResetClosesTheIoQueuesSoNoneServesAfterIt() {
        RecordingTransport admin = enabledAdmin();
        RecordingTransport io = ioQueue(admin, 1);
        assertNull(io.disconnectReason);
        assertEquals(0, status(admin.propertySet(ControllerRegisters.CC, 0)));
        assertNotNull(io.disconnectReason, "CC.EN 1 to 0 is a controller reset: I/O queues are deleted");
        assertNull(admin.disconnectReason, "the admin queue stays");
    }

    @Test
    void getLogPageOffsetsPastThePageAreInvalidFieldNeverInternalError() {
        RecordingTransport admin = enabledAdmin();
        for (long offset : new long[] {1L << 63, -4L, 512, 1 << 20}) {
            Request r = admin.newRequest(512);
            r.sqe().opcode(AdminOpcode.GET_LOG_PAGE).cdw(10, LogPageId.SMART_HEALTH | 127 << 16)
                    .cdw(12, (int) offset).cdw(13, (int) (offset >>> 32));
            assertEquals(NvmeStatus.INVALID_FIELD_IN_COMMAND.field(true), status(admin.run(r)), "offset " + Long.toUnsignedString(offset));
        }
    }

    @Test
    void commandsThatMoveNoDataRefuseADataBufferSoNoStaleBytesGoBack() {
        RecordingTransport admin = enabledAdmin();
        Request gf = admin.newRequest(4096);
        gf.data().fill((byte) 0x5A);  // what another command left in the buffer
        gf.sqe().opcode(AdminOpcode.GET_FEATURES).cdw(10, FeatureId.NUMBER_OF_QUEUES);
        assertEquals(NvmeStatus.DATA_SGL_LENGTH_INVALID.field(true), status(admin.run(gf)));
        Request ka = admin.newRequest(4096);
        ka.sqe().opcode(AdminOpcode.KEEP_ALIVE);
        assertEquals(NvmeStatus.DATA_SGL_LENGTH_INVALID.field(true), status(admin.run(ka)));
    }

    @Test
    void getFeaturesOnADiscoveryControllerWithADataBufferIsRefused() {
        RecordingTransport disc = new RecordingTransport(core, port);
        assertEquals(0, status(disc.connect(0, Nqn.DISCOVERY, HOST, 0xFFFF, HOST_ID, 0)));
        Request gf = disc.newRequest(4096);
        gf.sqe().opcode(AdminOpcode.GET_FEATURES).cdw(10, FeatureId.KEEP_ALIVE_TIMER);
        assertEquals(NvmeStatus.DATA_SGL_LENGTH_INVALID.field(true), status(disc.run(gf)));
    }

    @Test
    void aDiscoveryControllerWithoutKeepAliveGetsNvmetsTwoMinutes() {
        RecordingTransport disc = new RecordingTransport(core, port);
        assertEquals(0, status(disc.connect(0, Nqn.DISCOVERY, HOST, 0xFFFF, HOST_ID, 0)));
        assertEquals(TargetCore.DISCOVERY_DEFAULT_KATO_MILLIS, core.controllers().getFirst().katoMillis());
    }

    @Test
    void identifyOfTheAllNamespacesIdIsInvalidNamespace() {
        RecordingTransport admin = enabledAdmin();
        Request id = admin.newRequest(IdentifyController.SIZE);
        id.sqe().opcode(AdminOpcode.IDENTIFY).nsid(0xFFFFFFFF).cdw(10, 0);
        assertEquals(NvmeStatus.INVALID_NAMESPACE_OR_FORMAT.field(true), status(admin.run(id)));
    }

    @Test
    void capReadWithAFourByteSizeIsInvalidField() {
        RecordingTransport admin = enabledAdmin();
        assertEquals(NvmeStatus.INVALID_FIELD_IN_COMMAND.field(true), status(admin.propertyGet(ControllerRegisters.CAP, 4)));
    }

    @Test
    void anAdminConnectForAParticularControllerIsInvalidParameters() {
        RecordingTransport admin = new RecordingTransport(core, port);
        Request c = admin.connect(0, NQN, HOST, 1, HOST_ID, 0);
        assertEquals(NvmeStatus.CONNECT_INVALID_PARAMETERS.field(true), status(c));
        assertEquals(FabricsCommand.connectInvalidParametersResult(true, io.nvmfoffload.nvme.spec.ConnectData.CNTLID), c.cqe().dw0());
        assertTrue(core.controllers().isEmpty());
    }

    @Test
    void fusedCommandsAndNonSglPsdtAreInvalidField() {
        RecordingTransport admin = enabledAdmin();
        RecordingTransport io = ioQueue(admin, 1);
        Request fused = io.newRequest(512);
        fused.sqe().opcode(NvmOpcode.WRITE).nsid(1).flags(0x40 | 0x2);  // second command of a fused pair
        assertEquals(NvmeStatus.INVALID_FIELD_IN_COMMAND.field(true), status(io.runAsSent(fused)));
        Request prp = io.newRequest(512);
        prp.sqe().opcode(NvmOpcode.WRITE).nsid(1);  // PSDT 00b: PRPs, which fabrics do not carry
        assertEquals(NvmeStatus.INVALID_FIELD_IN_COMMAND.field(true), status(io.runAsSent(prp)));
    }

    @Test
    void aFailingDatasetManagementDeallocatesNothing() {
        RecordingTransport admin = enabledAdmin();
        RecordingTransport io = ioQueue(admin, 1);
        Request write = io.newRequest(512);
        write.data().fill((byte) 0x77);
        write.sqe().opcode(NvmOpcode.WRITE).nsid(1).cdw(10, 5);
        assertEquals(0, status(io.run(write)));
        Request dsm = io.newRequest(4096);
        dsm.data().set(U32, 4, 1);                 // range 0: block 5, valid
        dsm.data().set(U64, 8, 5L);
        dsm.data().set(U32, 16 + 4, 8);            // range 1: blocks 2045-2052, past the 2048
        dsm.data().set(U64, 16 + 8, 2045L);
        dsm.sqe().opcode(NvmOpcode.DATASET_MANAGEMENT).nsid(1).cdw(10, 1).cdw(11, 1 << 2);
        assertEquals(NvmeStatus.LBA_OUT_OF_RANGE.field(true), status(io.run(dsm)));
        Request read = io.newRequest(512);
        read.sqe().opcode(NvmOpcode.READ).nsid(1).cdw(10, 5);
        assertEquals(0, status(io.run(read)));
        assertEquals((byte) 0x77, read.data().get(ValueLayout.JAVA_BYTE, 100), "block 5 still holds its data");
    }

    @Test
    void concurrentConnectsOfOneQidLeaveExactlyOneQueueBoundAndNoneAfterDeletion() throws Exception {
        for (int round = 0; round < 200; round++) {
            RecordingTransport admin = enabledAdmin();
            int cntlid = admin.completed.get(0).cqe().dw0();
            CyclicBarrier start = new CyclicBarrier(2);
            AtomicReference<RecordingTransport> a = new AtomicReference<>();
            AtomicReference<RecordingTransport> b = new AtomicReference<>();
            Thread ta = Thread.ofPlatform().start(() -> a.set(raceConnect(start, cntlid)));
            Thread tb = Thread.ofPlatform().start(() -> b.set(raceConnect(start, cntlid)));
            ta.join();
            tb.join();
            int sa = status(a.get().completed.getFirst());
            int sb = status(b.get().completed.getFirst());
            assertTrue((sa == 0) != (sb == 0), "exactly one Connect wins: " + sa + " / " + sb);
            int lost = sa == 0 ? sb : sa;
            assertEquals(NvmeStatus.CONNECT_INVALID_PARAMETERS.field(true), lost, "the loser gets Invalid Parameters, not Internal Error");
            RecordingTransport loser = sa == 0 ? b.get() : a.get();
            assertNull(loser.queue.controller(), "the losing queue is bound to no controller");
            RecordingTransport winner = sa == 0 ? a.get() : b.get();
            admin.queue.closed();  // the host's admin queue goes: the controller with it
            assertNotNull(winner.disconnectReason, "the winning I/O queue is torn down with its controller");
            Request read = winner.newRequest(512);
            read.sqe().opcode(NvmOpcode.READ).nsid(1);
            assertNotEquals(0, status(winner.run(read)), "no I/O on a queue whose controller is gone");
            winner.arena.close();
            loser.arena.close();
        }
    }

    private RecordingTransport raceConnect(CyclicBarrier start, int cntlid) {
        RecordingTransport io = new RecordingTransport(core, port);
        try {
            start.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        io.connect(1, NQN, HOST, cntlid, HOST_ID, 0);
        return io;
    }

    @Test
    void anIoConnectToADeletedControllerIsRefused() {
        RecordingTransport admin = enabledAdmin();
        int cntlid = admin.completed.get(0).cqe().dw0();
        Controller ctrl = core.controllers().getFirst();
        core.deleteController(ctrl, "test");
        RecordingTransport io = new RecordingTransport(core, port);
        assertEquals(Controller.Attach.CONTROLLER_DELETED, ctrl.attachQueue(io.queue, 1, 32, false));
        assertNull(io.queue.controller());
        assertEquals(NvmeStatus.CONNECT_INVALID_PARAMETERS.field(true), status(io.connect(1, NQN, HOST, cntlid, HOST_ID, 0)));
    }

    @Test
    void parkedAersAreCompletedWhenTheirControllerGoesSoTheirSlotsComeBack() {
        RecordingTransport admin = enabledAdmin();
        Request aer = admin.newRequest(0);
        aer.sqe().opcode(AdminOpcode.ASYNC_EVENT_REQUEST);
        admin.run(aer);
        assertEquals(RequestState.EXECUTING, aer.state());
        admin.queue.closed();
        assertEquals(RequestState.COMPLETED, aer.state());
        assertEquals(NvmeStatus.ABORTED_SQ_DELETION.field(true), status(aer), "aborted with its queue, never an Internal Error");
    }

    @Test
    void controllersBeyondTheLimitsAreRefusedAsControllerBusy() {
        target.limits(new HostLimits(3, 2, 1024, 10_000, 30_000, 1 << 20));
        enabledAdmin();
        enabledAdmin();
        RecordingTransport third = new RecordingTransport(core, port);
        assertEquals(NvmeStatus.CONNECT_CONTROLLER_BUSY.field(true), status(third.connect(0, NQN, HOST, 0xFFFF, HOST_ID, 0)),
                "two per host");
        RecordingTransport other = new RecordingTransport(core, port);
        assertEquals(0, status(other.connect(0, NQN, HOST + "-2", 0xFFFF, UUID.randomUUID(), 0)));
        RecordingTransport fourth = new RecordingTransport(core, port);
        assertEquals(NvmeStatus.CONNECT_CONTROLLER_BUSY.field(true),
                status(fourth.connect(0, NQN, HOST + "-3", 0xFFFF, UUID.randomUUID(), 0)), "three per subsystem");
        assertEquals(3, core.controllers().size());
    }
}
