package io.nvmfoffload.nvmf.core;

import io.nvmfoffload.nvme.store.RamNamespaceStore;
import io.nvmfoffload.nvmf.Port;
import io.nvmfoffload.nvmf.SubsystemOffload;
import io.nvmfoffload.nvmf.Target;
import io.nvmfoffload.nvmf.TransportType;
import io.nvmfoffload.offload.DeviceProfile;
import io.nvmfoffload.offload.OffloadManager;
import io.nvmfoffload.offload.emulated.EmulatedNvmfOffloadProvider;
import io.nvmfoffload.verbs.Fakes;
import io.nvmfoffload.verbs.nvmf.OffloadOp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Identify Controller's IOCCSZ is the port's, except for an offloaded subsystem on an RDMA port
 * whose device takes smaller capsules: there it is what the offload SRQ takes, the port's lowered
 * to the device's max_ioccsz (the tiny profile's 260: 64 + 4096 bytes), as the vendor's nvmet
 * lowers the in-capsule data size it reports.
 */
class IdentifyIoccszTest {
    private static final String OFFLOADED = "nqn.2026-11.io.test:offloaded";
    private static final String SOFTWARE = "nqn.2026-11.io.test:software";
    private static final String HOST = "nqn.2026-11.io.test:host";
    private static final UUID HOST_ID = UUID.fromString("11111111-2222-3333-4444-555555555555");
    private static final int TINY_MAX_IOCCSZ = (64 + 4096) / 16;

    private final Target target = new Target();
    private final Port rdma = new Port(1, TransportType.RDMA, "127.0.0.1", 4421, 8192);
    private final Port tcp = new Port(2, TransportType.TCP, "127.0.0.1", 4422, 8192);
    private TargetCore core;
    private OffloadManager offloads;

    @AfterEach
    void tearDown() {
        if (offloads != null) {
            offloads.close();
        }
        if (core != null) {
            core.close();
        }
    }

    /** Both subsystems on both ports; the RDMA port's listener opened its offload before they were linked. */
    private void start() {
        for (String nqn : new String[] {OFFLOADED, SOFTWARE}) {
            target.addSubsystem(nqn, "SN-" + nqn.length(), "model", true);
            target.addNamespace(nqn, 1, RamNamespaceStore.create(nqn, 4096, 256));
        }
        target.setOffload(OFFLOADED, new SubsystemOffload(EnumSet.of(OffloadOp.READ, OffloadOp.WRITE), 32, 8L << 20, 16L << 10, 0));
        target.addPort(rdma);
        target.addPort(tcp);
        core = new TargetCore(target);
        offloads = new OffloadManager(core, new EmulatedNvmfOffloadProvider(DeviceProfile.tiny()));
        offloads.openPort(rdma, Fakes.protectionDomain(Fakes.context("mlx5_0")), 64);
        for (String nqn : new String[] {OFFLOADED, SOFTWARE}) {
            target.link(rdma.id(), nqn);
            target.link(tcp.id(), nqn);
        }
    }

    private int ioccszOn(Port port, String nqn) {
        return RecordingTransport.identifyController(core, port, nqn, HOST, HOST_ID).ioccsz();
    }

    @Test
    void anOffloadedSubsystemOnAnRdmaPortReportsTheIoccszItsSrqTakes() {
        start();
        assertEquals(516, rdma.ioccsz(), "64 + 8192 bytes");
        assertEquals(TINY_MAX_IOCCSZ, ioccszOn(rdma, OFFLOADED));
        assertEquals(rdma.ioccsz(), ioccszOn(rdma, SOFTWARE), "not offloaded: the port's own");
        assertEquals(tcp.ioccsz(), ioccszOn(tcp, OFFLOADED), "no NVMf offload over TCP");
    }

    @Test
    void withoutTheOffloadManagerEveryControllerReportsItsPorts() {
        start();
        offloads.close();
        offloads = null;
        assertEquals(rdma.ioccsz(), ioccszOn(rdma, OFFLOADED));
    }
}
