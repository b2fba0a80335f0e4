package io.nvmfoffload.nvmf.server;

import io.nvmfoffload.nvme.store.RamNamespaceStore;
import io.nvmfoffload.nvmf.Port;
import io.nvmfoffload.nvmf.Target;
import io.nvmfoffload.nvmf.TransportType;

/** The embedded default the README's main command serves: one subsystem, one RAM namespace, TCP. */
public final class Quickstart {
    public static final String NQN = "nqn.2026-11.io.nvmf-offload:quickstart";

    private Quickstart() {}

    public static Target target(String address, int serviceId, long ramBytes) {
        if (ramBytes < 1 << 20 || ramBytes % 4096 != 0) {
            throw new IllegalArgumentException("RAM namespace size " + ramBytes + " must be a multiple of 4 KiB and at least 1 MiB");
        }
        Target target = new Target();
        target.addSubsystem(NQN, "NVMFOFFLOAD0001", "nvmf-offload quickstart", true);
        target.addNamespace(NQN, 1, RamNamespaceStore.create("quickstart-ns1", 4096, ramBytes / 4096));
        target.addPort(Port.of(1, TransportType.TCP, address, serviceId));
        target.link(1, NQN);
        return target;
    }

    /** Also exposes the quickstart subsystem over RDMA on {@code rdmaAddress} (port id 2). */
    public static void addRdma(Target target, String rdmaAddress, int serviceId) {
        target.addPort(Port.of(2, TransportType.RDMA, rdmaAddress, serviceId));
        target.link(2, NQN);
    }
}
