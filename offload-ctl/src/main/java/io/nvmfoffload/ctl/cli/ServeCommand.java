package io.nvmfoffload.ctl.cli;

import io.nvmfoffload.target.Port;
import io.nvmfoffload.target.server.Quickstart;
import io.nvmfoffload.target.server.TargetServer;
import io.nvmfoffload.verbs.RdmaDevices;
import io.nvmfoffload.verbs.Verbs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code offload-ctl serve}: runs the target in the foreground until SIGTERM/SIGINT (systemd-friendly:
 * it logs to stderr and exits 0 on a clean stop). Today it serves the embedded quickstart default.
 */
@Command(name = "serve",
        description = {"Run the target in the foreground until stopped (Ctrl-C or SIGTERM).",
                "Without a configuration it serves the embedded quickstart: subsystem " + Quickstart.NQN
                        + " with one RAM-backed namespace, over NVMe/TCP."})
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--address", defaultValue = "127.0.0.1", description = "IPv4 address to listen on (default: ${DEFAULT-VALUE}).")
    String address;

    @Option(names = "--port", defaultValue = "4420", description = "TCP service id (default: ${DEFAULT-VALUE}).")
    int servicePort;

    @Option(names = "--rdma-address", description = "Also serve over NVMe/RDMA on this IPv4 address (an RDMA device's).")
    String rdmaAddress;

    @Option(names = "--ram-mib", defaultValue = "256", description = "Size of the RAM namespace in MiB (default: ${DEFAULT-VALUE}).")
    long ramMib;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        CountDownLatch stop = new CountDownLatch(1);
        var target = Quickstart.target(address, servicePort, ramMib << 20);
        if (rdmaAddress != null) {
            Quickstart.addRdma(target, rdmaAddress, servicePort);
        }
        try (TargetServer server = new TargetServer(target).start()) {
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "serve-shutdown"));
            for (Port p : server.target().ports()) {
                out.printf("serving %s on %s %s:%d (%d MiB RAM namespace 1); offload: none (software path)%n",
                        Quickstart.NQN, p.transport().id(), p.address(), p.serviceId(), ramMib);
            }
            out.println("connect with: nvme connect -t tcp -a " + address + " -s " + servicePort + " -n " + Quickstart.NQN);
            out.println("RDMA devices: " + rdmaSummary());
            out.flush();
            stop.await();
        }
        return 0;
    }

    private static String rdmaSummary() {
        try {
            String reason = Verbs.unavailableReason().orElse(null);
            if (reason != null) {
                return "none (" + reason + "); serving over TCP only";
            }
            return String.join(", ", RdmaDevices.list().stream().map(d -> d.name()).toList())
                    + " (add --rdma-address ADDRESS to serve over RDMA too)";
        } catch (RuntimeException | LinkageError e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
