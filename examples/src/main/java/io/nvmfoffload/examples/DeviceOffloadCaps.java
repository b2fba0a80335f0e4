package io.nvmfoffload.examples;

import io.nvmfoffload.verbs.DeviceAttributes;
import io.nvmfoffload.verbs.DeviceContext;
import io.nvmfoffload.verbs.RdmaDevice;
import io.nvmfoffload.verbs.RdmaDevices;
import io.nvmfoffload.verbs.Verbs;
import io.nvmfoffload.verbs.nvmf.NvmfCapabilities;
import io.nvmfoffload.verbs.nvmf.NvmfOffload;
import io.nvmfoffload.verbs.nvmf.NvmfOffloadProviders;

import java.io.PrintStream;

/**
 * Uses verbs-binding directly, without the target: lists the RDMA devices, opens each, prints a few
 * attributes and what its NVMf offload provider reports. Run it with
 * {@code java --enable-native-access=ALL-UNNAMED -cp verbs-binding/target/classes:examples/target/classes io.nvmfoffload.examples.DeviceOffloadCaps}.
 */
public final class DeviceOffloadCaps {
    private DeviceOffloadCaps() {}

    public static void main(String[] args) {
        print(System.out);
    }

    /** Returns the number of devices listed; a machine without RDMA gets the reason instead. */
    public static int print(PrintStream out) {
        if (!Verbs.available()) {
            out.println("no RDMA: " + Verbs.unavailableReason().orElse("unknown reason"));
            return 0;
        }
        int n = 0;
        for (RdmaDevice device : RdmaDevices.list()) {
            try (DeviceContext ctx = device.open(); NvmfOffload offload = NvmfOffloadProviders.open(ctx)) {
                DeviceAttributes a = ctx.queryDevice();
                NvmfCapabilities caps = offload.capabilities();
                out.printf("%s: guid %s, max_qp %d, max_srq %d; NVMf offload provider %s: %s%n", device.name(), device.guidString(),
                        a.maxQp(), a.maxSrq(), offload.providerName(),
                        caps.offloadSupported() ? "offload types " + caps.rcOffloadTypes() + ", up to " + caps.maxSrqNamespaces()
                                + " namespaces per SRQ" : "no offload (software path only)");
                n++;
            }
        }
        if (n == 0) {
            out.println("no RDMA devices: libibverbs lists none");
        }
        return n;
    }
}
