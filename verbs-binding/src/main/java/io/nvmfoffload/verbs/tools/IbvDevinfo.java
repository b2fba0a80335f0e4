package io.nvmfoffload.verbs.tools;

import io.nvmfoffload.verbs.DeviceReport;
import io.nvmfoffload.verbs.RdmaDevice;
import io.nvmfoffload.verbs.RdmaDevices;
import io.nvmfoffload.verbs.Verbs;

import java.util.List;

/**
 * ibv_devinfo in Java: lists the RDMA devices with their attributes, ports and GIDs, or says why
 * there are none. {@code java -cp verbs-binding/target/classes io.nvmfoffload.verbs.tools.IbvDevinfo [device]}
 */
public final class IbvDevinfo {
    private IbvDevinfo() {}

    public static void main(String[] args) {
        if (!Verbs.libraryLoaded()) {
            System.out.println("no RDMA: " + Verbs.unavailableReason().orElseThrow());
            System.exit(2);
        }
        List<RdmaDevice> devices = RdmaDevices.list();
        if (devices.isEmpty()) {
            System.out.println("no RDMA device: " + Verbs.unavailableReason().orElse("none listed"));
            System.exit(2);
        }
        for (RdmaDevice device : devices) {
            if (args.length > 0 && !device.name().equals(args[0])) {
                continue;
            }
            DeviceReport report = device.report();
            System.out.print(report.toText());
            System.out.println("  extended query: " + (report.extendedAttributes().extendedQuerySupported() ? "yes" : "fallback")
                    + ", device_cap_flags_ex 0x" + Long.toHexString(report.extendedAttributes().deviceCapFlagsEx())
                    + ", capabilities " + report.attributes().capabilities());
        }
    }
}
