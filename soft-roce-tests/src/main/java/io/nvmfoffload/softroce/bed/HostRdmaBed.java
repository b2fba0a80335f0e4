package io.nvmfoffload.softroce.bed;

import io.nvmfoffload.softroce.process.CommandResult;
import io.nvmfoffload.softroce.process.Commands;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * This host, when it already has an RDMA device or can create rxe0 itself (root, rdma_rxe loadable).
 * The kernel NVMe tests need root and the nvmet modules here, as they do in the guest.
 */
public final class HostRdmaBed implements TestBed {
    private static final Path IB_CLASS = Path.of("/sys/class/infiniband");
    private final Path project;

    public HostRdmaBed(Path project) {
        this.project = project;
    }

    @Override
    public String name() {
        return "host";
    }

    @Override
    public Availability probe() {
        List<String> devices = rdmaDevices();
        if (devices.contains("rxe0")) {
            return Availability.yes("this host has rxe0");
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return Availability.no("this host has no rxe0 and creating one needs root");
        }
        // rxe-up.sh loads rdma_rxe first and stops there when the kernel cannot: no side effects then.
        CommandResult up = Commands.run(Duration.ofSeconds(30), "bash", project.resolve("soft-roce-tests/bed/rxe-up.sh").toString());
        if (up.succeeded()) {
            return Availability.yes("created rxe0 on this host");
        }
        String why = (up.stderr() + up.stdout()).strip().lines().findFirst().orElse("exit " + up.exitCode());
        return Availability.no("this host cannot create rxe0 (" + why + ")"
                + (devices.isEmpty() ? "" : "; it has " + devices + " but the tests need rxe0"));
    }

    private static List<String> rdmaDevices() {
        if (!Files.isDirectory(IB_CLASS)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(IB_CLASS)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    @Override
    public BedRun run(String script, Duration timeout, Path logDir, Consumer<String> liveOutput) {
        CommandResult result = Commands.run(timeout, List.of("bash", "-c", script), liveOutput);
        String output = result.stdout() + (result.stderr().isBlank() ? "" : "\n" + result.stderr());
        return new BedRun(name(), result.exitCode(), output, Duration.ZERO, result.elapsed(), logDir, null);
    }
}
