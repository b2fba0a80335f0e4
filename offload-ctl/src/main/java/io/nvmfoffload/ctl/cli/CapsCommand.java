package io.nvmfoffload.ctl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.nvmfoffload.ctl.rpc.DeviceInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code offload-ctl caps DEVICE}: a device's NVMf offload capabilities. */
@Command(name = "caps", mixinStandardHelpOptions = true,
        description = {"Show the NVMf target offload capabilities of RDMA device DEVICE as its offload provider reports them "
                + "(a device without offload reports none), or, with --profile, the numbers the emulated provider reports "
                + "with that device profile (a model, not a hardware reading).",
                "Runs here, without a target. Examples: offload-ctl caps rxe0; offload-ctl caps --profile tiny"})
final class CapsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DEVICE", arity = "0..1", description = "An RDMA device name, as 'offload-ctl devices' lists them.")
    String device;

    @Option(names = "--profile", paramLabel = "PROFILE",
            description = "An emulated device profile: connectx5-class, connectx5-class-no-last-cqe or tiny.")
    String profile;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    public Integer call() {
        if (device == null && profile == null) {
            throw new ParameterException(spec.commandLine(), "name a DEVICE, a --profile, or both");
        }
        JsonNode r = DeviceInfo.caps(device, profile);
        PrintWriter out = spec.commandLine().getOut();
        if (json || OffloadCtl.globalJson(spec)) {
            out.println(Output.json(r));
        } else {
            out.println((r.has("device") ? r.path("device").asText() + ": " : "") + "provider " + r.path("provider").asText()
                    + " (" + r.path("source").asText() + ")");
            out.println("  offload supported: " + r.path("offload_supported").asBoolean());
            r.path("capabilities").fields().forEachRemaining(e -> out.println("  " + e.getKey() + ": " + e.getValue()));
        }
        out.flush();
        return 0;
    }
}
