package io.nvmfoffload.verbs.nvmf;

/**
 * A backend NVMe controller the device drives directly: one NVMe I/O queue pair and its doorbells,
 * all in registered memory.
 *
 * @param sqBuffer          submission queue entries
 * @param cqBuffer          completion queue entries
 * @param sqTailDoorbell    the SQ tail doorbell register (4 bytes)
 * @param cqHeadDoorbell    the CQ head doorbell register (4 bytes)
 * @param sqTailInitial     initial SQ tail doorbell value
 * @param cqHeadInitial     initial CQ head doorbell value
 * @param commandTimeoutUs  per-command timeout; 0 = the device's default
 * @param controllerStatus  the backend's CSTS register (4 bytes), or null. Our addition: it lets a
 *                          device model tell a PCI error (all ones) or fatal status (CFS) from a
 *                          timeout, as a NIC learns of them from the PCIe fabric
 */
public record BackendControllerAttributes(MemoryRange sqBuffer, MemoryRange cqBuffer, MemoryRange sqTailDoorbell,
                                          MemoryRange cqHeadDoorbell, int sqTailInitial, int cqHeadInitial,
                                          long commandTimeoutUs, MemoryRange controllerStatus) {
    public BackendControllerAttributes {
        if (sqTailDoorbell.length() != 4 || cqHeadDoorbell.length() != 4) {
            throw new IllegalArgumentException("NVMe doorbells are 4 bytes; got SQ tail " + sqTailDoorbell.length()
                    + " and CQ head " + cqHeadDoorbell.length());
        }
        if (controllerStatus != null && controllerStatus.length() != 4) {
            throw new IllegalArgumentException("CSTS is 4 bytes; got " + controllerStatus.length());
        }
        if (commandTimeoutUs < 0) {
            throw new IllegalArgumentException("command timeout cannot be negative: " + commandTimeoutUs + " us");
        }
    }
}

