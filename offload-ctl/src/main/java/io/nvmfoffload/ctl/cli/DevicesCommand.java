package io.nvmfoffload.ctl.cli;

import io.nvmfoffload.ctl.rpc.DeviceInfo;
import io.nvmfoffload.verbs.DeviceReport;
import io.nvmfoffload.verbs.RdmaDevices;
import io.nvmfoffload.verbs.Verbs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code offload-ctl devices}: the RDMA devices here, their ports, GIDs and capabilities. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = {"List the RDMA devices on this machine with their attributes, ports, GIDs and NVMf offload provider.",
                "A machine without RDMA gets an empty list and the reason."})
final class DevicesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (json || OffloadCtl.globalJson(spec)) {
            out.println(Output.json(DeviceInfo.devices()));
            out.flush();
            return 0;
        }
        String reason = Verbs.unavailableReason().orElse(null);
        List<DeviceReport> reports = Verbs.libraryLoaded() ? RdmaDevices.reportAll() : List.of();
        if (reports.isEmpty()) {
            out.println("no RDMA devices: " + (reason == null ? "libibverbs lists none" : reason));
        } else {
            for (DeviceReport r : reports) {
                out.print(r.toText());
                var o = DeviceInfo.offloadSummary(r.device().name());
                out.println("  NVMf offload: " + (o.has("error") ? "unknown (" + o.path("error").asText() + ")"
                        : "provider " + o.path("provider").asText() + ", " + (o.path("offload_supported").asBoolean()
                        ? "supported (offload-ctl caps " + r.device().name() + ")" : "not supported")));
            }
        }
        out.flush();
        return 0;
    }
}
