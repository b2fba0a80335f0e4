package io.nvmfoffload.softroce.bed;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.images.builder.ImageFromDockerfile;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A privileged container on a host with a Docker engine and an rxe-capable kernel: rxe0 is created in
 * the host kernel from inside, the project and the host's JDK and Maven repository are bind-mounted at
 * their own paths. Only reached when neither this host nor a qemu guest can serve.
 */
public final class ContainerBed implements TestBed {
    private final Path project;

    public ContainerBed(Path project) {
        this.project = project;
    }

    @Override
    public String name() {
        return "container";
    }

    @Override
    public Availability probe() {
        try {
            if (DockerClientFactory.instance().isDockerAvailable()) {
                return Availability.yes("a Docker engine answers");
            }
            return Availability.no("no Docker engine answers (Testcontainers found none)");
        } catch (RuntimeException | LinkageError e) {
            return Availability.no("no Docker engine: " + e.getMessage());
        }
    }

    @Override
    public BedRun run(String script, Duration timeout, Path logDir, Consumer<String> liveOutput) {
        String javaHome = System.getProperty("java.home");
        String m2 = Path.of(System.getProperty("user.home"), ".m2").toString();
        StringBuilder output = new StringBuilder();
        ImageFromDockerfile image = new ImageFromDockerfile("nvmf-offload-softroce", false)
                .withFileFromPath("Dockerfile", project.resolve("soft-roce-tests/bed/Containerfile"));
        long start = System.nanoTime();
        try (GenericContainer<?> container = new GenericContainer<>(image)) {
            container.withPrivilegedMode(true)
                    .withFileSystemBind("/lib/modules", "/lib/modules", BindMode.READ_ONLY)
                    .withFileSystemBind(project.toString(), project.toString(), BindMode.READ_WRITE)
                    .withFileSystemBind(javaHome, javaHome, BindMode.READ_ONLY)
                    .withFileSystemBind(m2, m2, BindMode.READ_ONLY)
                    .withWorkingDirectory(project.toString())
                    .withEnv("JAVA_HOME", javaHome)
                    .withCommand("bash", "-c", "mount -t configfs none /sys/kernel/config 2>/dev/null; "
                            + "bash soft-roce-tests/bed/rxe-up.sh && { " + script + "\n}")
                    .withLogConsumer(frame -> {
                        String line = frame.getUtf8String();
                        output.append(line);
                        liveOutput.accept(line.stripTrailing());
                    })
                    .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(timeout));
            int exit;
            try {
                container.start();
                exit = 0;
            } catch (RuntimeException e) {
                Long code = container.getCurrentContainerInfo() == null ? null
                        : container.getCurrentContainerInfo().getState().getExitCodeLong();
                exit = code == null ? 125 : code.intValue();
            }
            return new BedRun(name(), exit, output.toString(), Duration.ZERO, Duration.ofNanos(System.nanoTime() - start),
                    logDir, null);
        }
    }
}
