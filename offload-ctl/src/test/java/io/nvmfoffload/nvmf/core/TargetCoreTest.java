package io.nvmfoffload.nvmf.core;

import io.nvmfoffload.nvme.spec.AdminOpcode;
import io.nvmfoffload.nvme.spec.ConnectData;
import io.nvmfoffload.nvme.spec.ControllerRegisters;
import io.nvmfoffload.nvme.spec.DiscoveryLog;
import io.nvmfoffload.nvme.spec.FeatureId;
import io.nvmfoffload.nvme.spec.IdentifyController;
import io.nvmfoffload.nvme.spec.LogPageId;
import io.nvmfoffload.nvme.spec.NvmOpcode;
import io.nvmfoffload.nvme.spec.NvmeStatus;
import io.nvmfoffload.nvme.store.RamNamespaceStore;
import io.nvmfoffload.nvmf.Nqn;
import io.nvmfoffload.nvmf.Port;
import io.nvmfoffload.nvmf.Target;
import io.nvmfoffload.nvmf.TransportType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TargetCoreTest {
    private static final String NQN = "nqn.2026-11.io.test:sub1";
    private static final String HOST = "nqn.2026-11.io.test:host1";
    private static final UUID HOST_ID = UUID.fromString("11111111-2222-3333-4444-555555555555");

    private Target target;
    private TargetCore core;
    private Port port;

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

    private RecordingTransport adminConnected() {
        RecordingTransport admin = new RecordingTransport(core, port);
        Request c = admin.connect(0, NQN, HOST, 0xFFFF, HOST_ID, 0);
        assertEquals(0, status(c), "admin connect");
        return admin;
    }

    /** An enabled controller's I/O queue 1, connected. */
    private RecordingTransport connectedIoQueue() {
        RecordingTransport admin = adminConnected();
        int cntlid = admin.completed.get(0).cqe().dw0();
        admin.enable();
        RecordingTransport io = new RecordingTransport(core, port);
        assertEquals(0, status(io.connect(1, NQN, HOST, cntlid, HOST_ID, 0)), "I/O queue connect");
        return io;
    }

    @Test
    void connectToAnUnknownSubsystemPointsAtSubnqnInTheConnectData() {
        RecordingTransport t = new RecordingTransport(core, port);
        Request c = t.connect(0, "nqn.2026-11.io.test:nope", HOST, 0xFFFF, HOST_ID, 0);
        assertEquals(NvmeStatus.CONNECT_INVALID_PARAMETERS.field(true), status(c));
        assertEquals(1 << 16 | ConnectData.SUBNQN, c.cqe().dw0(), "IATTR=connect data, IPO=SUBNQN");
    }

    @Test
    void connectOfAHostTheSubsystemDoesNotAllowIsConnectInvalidHost() {
        target.allowAnyHost(NQN, false);
        Request c = new RecordingTransport(core, port).connect(0, NQN, HOST, 0xFFFF, HOST_ID, 0);
        assertEquals(NvmeStatus.CONNECT_INVALID_HOST.field(true), status(c));
    }

    @Test
    void ioQueueConnectBeforeTheControllerIsEnabledIsACommandSequenceError() {
        RecordingTransport admin = adminConnected();
        int cntlid = admin.completed.get(0).cqe().dw0();
        Request io = new RecordingTransport(core, port).connect(1, NQN, HOST, cntlid, HOST_ID, 0);
        assertEquals(NvmeStatus.COMMAND_SEQUENCE_ERROR.field(true), status(io));
    }

    @Test
    void capIsReturnedAsSixtyFourBitsAndEnableSetsReady() {
        RecordingTransport admin = adminConnected();
        Request cap = admin.propertyGet(ControllerRegisters.CAP, 8);
        assertEquals(0, status(cap));
        long value = cap.cqe().result64();
        assertEquals(Controller.MAX_QUEUE_ENTRIES - 1, value & 0xFFFF, "MQES");
        assertTrue((value & ControllerRegisters.CAP_CSS_NVM) != 0, "CSS NVM is in the upper dword");
        assertEquals(0, status(admin.enable()));
        assertEquals(ControllerRegisters.CSTS_RDY, admin.propertyGet(ControllerRegisters.CSTS, 4).cqe().dw0());
    }

    @Test
    void writeThenReadOnAnIoQueueReturnsTheSameBytes() {
        RecordingTransport io = connectedIoQueue();

        Request w = io.newRequest(1024);
        w.sqe().opcode(NvmOpcode.WRITE).nsid(1).cdw(10, 7).cdw(12, 1);  // 2 blocks at LBA 7
        for (int i = 0; i < 1024; i++) {
            w.data().set(ValueLayout.JAVA_BYTE, i, (byte) (i * 7));
        }
        assertEquals(0, status(io.run(w)));
        Request r = io.newRequest(1024);
        r.sqe().opcode(NvmOpcode.READ).nsid(1).cdw(10, 7).cdw(12, 1);
        assertEquals(0, status(io.run(r)));
        assertEquals(-1, r.data().mismatch(w.data()), "read data equals written data");
        assertEquals(1, target.subsystem(NQN).namespace(1).counters().writeCommands.sum());
    }

    @Test
    void readPastTheEndIsLbaOutOfRangeAndALengthMismatchIsSglLengthInvalid() {
        RecordingTransport io = connectedIoQueue();
        Request past = io.newRequest(512);
        past.sqe().opcode(NvmOpcode.READ).nsid(1).cdw(10, 2048);
        assertEquals(NvmeStatus.LBA_OUT_OF_RANGE.field(true), status(io.run(past)));
        Request shortBuffer = io.newRequest(512);
        shortBuffer.sqe().opcode(NvmOpcode.READ).nsid(1).cdw(10, 0).cdw(12, 1);
        assertEquals(NvmeStatus.DATA_SGL_LENGTH_INVALID.field(true), status(io.run(shortBuffer)));
        Request noNamespace = io.newRequest(512);
        noNamespace.sqe().opcode(NvmOpcode.READ).nsid(9);
        assertEquals(NvmeStatus.INVALID_NAMESPACE_OR_FORMAT.field(true), status(io.run(noNamespace)));
    }

    @Test
    void datasetManagementTakesTheWholeRangeBufferLinuxSendsAndRejectsOneTooShort() {
        RecordingTransport io = connectedIoQueue();
        Request w = io.newRequest(1024);
        w.sqe().opcode(NvmOpcode.WRITE).nsid(1).cdw(10, 100).cdw(12, 1);
        w.data().fill((byte) 0x5A);
        assertEquals(0, status(io.run(w)));

        // Linux's nvme_setup_discard: NR = 0 (one range) in a buffer sized for 256 ranges.
        Request dsm = io.newRequest(4096);
        dsm.sqe().opcode(NvmOpcode.DATASET_MANAGEMENT).nsid(1).cdw(10, 0).cdw(11, 1 << 2);
        dsm.data().set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 4, 2);       // NLB
        dsm.data().set(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 8, 100L);   // SLBA
        assertEquals(0, status(io.run(dsm)));
        Request r = io.newRequest(1024);
        r.sqe().opcode(NvmOpcode.READ).nsid(1).cdw(10, 100).cdw(12, 1);
        assertEquals(0, status(io.run(r)));
        assertEquals(-1, r.data().mismatch(MemorySegment.ofArray(new byte[1024])), "deallocated blocks read back as zeros");

        Request tooShort = io.newRequest(16);
        tooShort.sqe().opcode(NvmOpcode.DATASET_MANAGEMENT).nsid(1).cdw(10, 1).cdw(11, 1 << 2);  // 2 ranges in 16 bytes
        assertEquals(NvmeStatus.DATA_SGL_LENGTH_INVALID.field(true), status(io.run(tooShort)));
    }

    @Test
    void identifyControllerCarriesSubsystemAndTransportFields() {
        RecordingTransport admin = adminConnected();
        admin.enable();
        Request id = admin.newRequest(IdentifyController.SIZE);
        id.sqe().opcode(AdminOpcode.IDENTIFY).cdw(10, 1);
        assertEquals(0, status(admin.run(id)));
        IdentifyController view = new IdentifyController(id.data());
        assertEquals(NQN, view.subnqn());
        assertEquals("SN1", view.serialNumber().strip());
        assertEquals(port.ioccsz(), view.ioccsz());
        assertEquals(8, view.mdts(), "MDTS of the port's max_io_size, 1 MiB by default");
    }

    @Test
    void unknownAdminOpcodeIsInvalidOpcode() {
        RecordingTransport admin = adminConnected();
        admin.enable();
        Request r = admin.newRequest(0);
        r.sqe().opcode(AdminOpcode.FORMAT_NVM);
        assertEquals(NvmeStatus.INVALID_COMMAND_OPCODE.field(true), status(admin.run(r)));
    }

    @Test
    void aParkedAerCompletesWhenANamespaceIsAdded() {
        RecordingTransport admin = adminConnected();
        admin.enable();
        Request aec = admin.newRequest(0);
        aec.sqe().opcode(AdminOpcode.SET_FEATURES).cdw(10, FeatureId.ASYNC_EVENT_CONFIGURATION).cdw(11, FeatureId.AEC_NAMESPACE_ATTRIBUTE_NOTICES);
        assertEquals(0, status(admin.run(aec)));
        Request aer = admin.newRequest(0);
        aer.sqe().opcode(AdminOpcode.ASYNC_EVENT_REQUEST);
        admin.run(aer);
        assertEquals(RequestState.EXECUTING, aer.state(), "the AER waits for an event");
        target.addNamespace(NQN, 2, RamNamespaceStore.create("ns2", 512, 64));
        assertEquals(RequestState.COMPLETED, aer.state());
        assertEquals(0x04 << 16 | 2, aer.cqe().dw0(), "notice, namespace attribute changed, log page 04h");
    }

    @Test
    void discoveryLogListsExposedSubsystemsAndItsGenerationMovesWithChanges() {
        RecordingTransport disc = new RecordingTransport(core, port);
        assertEquals(0, status(disc.connect(0, Nqn.DISCOVERY, HOST, 0xFFFF, HOST_ID, 0)));
        Request log1 = readDiscoveryLog(disc);
        DiscoveryLog view = new DiscoveryLog().wrap(log1.data(), 0);
        assertEquals(2, view.numrec(), "the subsystem and the current discovery subsystem");
        assertEquals(NQN, view.entry(0, new DiscoveryLog.Entry()).subnqn());
        long generation = view.genctr();
        target.addPort(Port.of(2, TransportType.TCP, "127.0.0.1", 4421));
        Request log2 = readDiscoveryLog(disc);
        assertTrue(new DiscoveryLog().wrap(log2.data(), 0).genctr() > generation, "generation counter moves");
    }

    private static Request readDiscoveryLog(RecordingTransport t) {
        int bytes = DiscoveryLog.HEADER_SIZE + 2 * DiscoveryLog.ENTRY_SIZE;
        Request r = t.newRequest(bytes);
        int numdl = bytes / 4 - 1;
        r.sqe().opcode(AdminOpcode.GET_LOG_PAGE).cdw(10, LogPageId.DISCOVERY | numdl << 16);
        assertEquals(0, status(t.run(r)));
        return r;
    }

    @Test
    void aControllerWhoseHostStopsSendingKeepAlivesIsDeleted() throws InterruptedException {
        RecordingTransport admin = new RecordingTransport(core, port);
        assertEquals(0, status(admin.connect(0, NQN, HOST, 0xFFFF, HOST_ID, 600)));
        assertNull(admin.disconnectReason);
        for (int i = 0; i < 40 && admin.disconnectReason == null; i++) {
            Thread.sleep(100);
        }
        assertNotNull(admin.disconnectReason, "keep-alive expiry should disconnect the admin queue");
        assertTrue(admin.disconnectReason.contains("keep-alive"), admin.disconnectReason);
        assertTrue(core.controllers().isEmpty());
    }
}
