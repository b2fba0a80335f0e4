package io.nvmfoffload.nvme.emu;

import io.nvmfoffload.nvme.spec.ControllerRegisters;
import io.nvmfoffload.nvme.spec.IdentifyController;

/** What the emulated controller says about itself in Identify Controller. */
final class IdentifyControllerData {
    private IdentifyControllerData() {
    }

    static void fill(IdentifyController id, EmulatedController c) {
        ControllerConfig cfg = c.config;
        int vwc = c.hasVolatileWriteCache()
                ? IdentifyController.VWC_PRESENT | IdentifyController.VWC_FLUSH_ALL_SUPPORTED
                : IdentifyController.VWC_FLUSH_ALL_SUPPORTED;
        id.clear()
                .vid(cfg.vendorId)
                .ssvid(cfg.vendorId)
                .serialNumber(cfg.serialNumber)
                .modelNumber(cfg.modelNumber)
                .firmwareRevision(cfg.firmwareRevision)
                .rab(6)
                .mdts(cfg.mdts)
                .cntlid(cfg.controllerId)
                .ver(ControllerRegisters.version(2, 0, 0))
                .oaes(IdentifyController.OAES_NAMESPACE_ATTRIBUTE_NOTICES)
                .cntrltype(IdentifyController.CNTRLTYPE_IO)
                .acl(3)
                .aerl(cfg.asyncEventLimit - 1)
                // One firmware slot, read-only: the firmware is this code.
                .frmw(1 << 1 | 1)
                .lpa(IdentifyController.LPA_COMMANDS_EFFECTS)
                .elpe(cfg.errorLogEntries - 1)
                .npss(0)
                // Keep Alive granularity 100 ms.
                .kas(1)
                .sqes(EmulatedController.SQES << 4 | EmulatedController.SQES)
                .cqes(EmulatedController.CQES << 4 | EmulatedController.CQES)
                .nn(c.namespaces.length)
                .oncs(IdentifyController.ONCS_DATASET_MANAGEMENT | IdentifyController.ONCS_WRITE_ZEROES)
                .vwc(vwc)
                .sgls(0)
                .subnqn("nqn.2014-08.org.nvmexpress:emulated:" + cfg.serialNumber)
                .powerState0MaxPower(2500);
    }
}
