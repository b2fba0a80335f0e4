package io.nvmfoffload.nvmf.core;

import io.nvmfoffload.nvme.store.RamNamespaceStore;
import io.nvmfoffload.nvmf.Port;
import io.nvmfoffload.nvmf.SubsystemOffload;
import io.nvmfoffload.nvmf.Target;
import io.nvmfoffload.nvmf.TransportType;
import io.nvmfoffload.verbs.nvmf.OffloadOp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Identify Controller's MDTS is the max_io_size of the port the admin queue came in on, in 4 KiB
 * pages as a power of two; an offloaded subsystem's controllers on an RDMA port report the
 * offload's max_io_sz when that is smaller, since hosts size their I/O by MDTS.
 */
class IdentifyMdtsTest {
    private static final String NQN = "nqn.2026-11.io.test:mdts";
    private static final String HOST = "nqn.2026-11.io.test:host";
    private static final UUID HOST_ID = UUID.fromString("11111111-2222-3333-4444-555555555555");

    private final Target target = new Target();
    private TargetCore core;

    @AfterEach
    void tearDown() {
        if (core != null) {
            core.close();
        }
    }

    private void start(SubsystemOffload offload, Port... ports) {
        target.addSubsystem(NQN, "SN1", "model", true);
        target.addNamespace(NQN, 1, RamNamespaceStore.create("ns1", 512, 2048));
        if (offload != null) {
            target.setOffload(NQN, offload);
        }
        for (Port p : ports) {
            target.addPort(p);
            target.link(p.id(), NQN);
        }
        core = new TargetCore(target);
    }

    private int mdtsOn(Port port) {
        return RecordingTransport.identifyController(core, port, NQN, HOST, HOST_ID).mdts();
    }

    private static Port port(int id, TransportType transport, int maxIoSize) {
        return new Port(id, transport, "127.0.0.1", 4420 + id, Port.DEFAULT_IN_CAPSULE_DATA_SIZE, maxIoSize);
    }

    private static SubsystemOffload offload(long maxIoSize) {
        return new SubsystemOffload(EnumSet.allOf(OffloadOp.class), 128, 16L << 20, maxIoSize, 0);
    }

    @Test
    void eachPortReportsItsOwnMaxIoSize() {
        Port byDefault = Port.of(1, TransportType.TCP, "127.0.0.1", 4420);
        Port small = port(2, TransportType.TCP, 256 << 10);
        Port large = port(3, TransportType.RDMA, 8 << 20);
        start(null, byDefault, small, large);
        assertEquals(8, mdtsOn(byDefault), "1 MiB by default: MDTS 8, as nvmet-rdma");
        assertEquals(6, mdtsOn(small), "256 KiB");
        assertEquals(11, mdtsOn(large), "8 MiB");
    }

    @Test
    void anOffloadedSubsystemOverRdmaReportsTheOffloadsMaxIoSize() {
        Port rdma = port(1, TransportType.RDMA, 1 << 20);
        Port tcp = port(2, TransportType.TCP, 1 << 20);
        start(offload(128 << 10), rdma, tcp);
        assertEquals(5, mdtsOn(rdma), "the offload's max_io_sz, 128 KiB");
        assertEquals(8, mdtsOn(tcp), "no NVMf offload over TCP: the port's own");
    }

    @Test
    void anOffloadLargerThanThePortLeavesThePortsMaxIoSize() {
        Port rdma = port(1, TransportType.RDMA, 256 << 10);
        start(offload(1 << 20), rdma);
        assertEquals(6, mdtsOn(rdma));
    }
}
