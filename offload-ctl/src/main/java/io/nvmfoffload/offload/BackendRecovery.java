package io.nvmfoffload.offload;

/**
 * What recovery after PCI errors did for one offloaded namespace on one port.
 *
 * @param offloaded whether the namespace is on offload again (else software serves it, {@code detail} says why)
 */
public record BackendRecovery(int portId, int nsid, boolean offloaded, String detail) {}
