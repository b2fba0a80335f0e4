package io.nvmfoffload.softroce.bed;

import io.nvmfoffload.softroce.process.CommandResult;
import io.nvmfoffload.softroce.process.Commands;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A qemu guest running Debian's kernel (KVM where it boots, else TCG) whose root is this host's
 * filesystem over 9p with a tmpfs overlay; the heavy lifting is in {@code bed/guest.sh}, which a
 * developer also runs by hand.
 */
public final class QemuGuestBed implements TestBed {
    private final Path project;

    public QemuGuestBed(Path project) {
        this.project = project;
    }

    @Override
    public String name() {
        return "qemu";
    }

    private Path guestScript() {
        return project.resolve("soft-roce-tests/bed/guest.sh");
    }

    @Override
    public Availability probe() {
        if (Commands.bash(Duration.ofSeconds(10), "command -v qemu-system-x86_64").exitCode() != 0) {
            return Availability.no("qemu-system-x86_64 is not installed (scripts/install-deps.sh installs it)");
        }
        CommandResult kernel = Commands.bash(Duration.ofSeconds(10),
                "source '" + project.resolve("scripts/lib/guest-kernel.sh") + "' && guest_kernel_ready");
        if (!kernel.succeeded()) {
            return Availability.no("the guest kernel is not cached (scripts/install-deps.sh fetches it)");
        }
        return Availability.yes("qemu and the cached guest kernel are present");
    }

    @Override
    public BedRun run(String script, Duration timeout, Path logDir, Consumer<String> liveOutput) {
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the bed's log directory " + logDir, e);
        }
        // guest.sh's own timeout kills the guest; ours is a backstop a little later.
        CommandResult result = Commands.run(timeout.plusSeconds(60), List.of("bash", guestScript().toString(),
                "--timeout", Long.toString(timeout.toSeconds()), "--log-dir", logDir.toString(), "--", script), liveOutput);
        Map<String, Long> timings = readTimings(logDir.resolve("timings"));
        Duration boot = Duration.ofMillis(timings.getOrDefault("boot_ms", 0L));
        Duration inGuest = timings.containsKey("guest_ms") ? Duration.ofMillis(timings.get("guest_ms")) : result.elapsed();
        String output = result.stdout() + (result.stderr().isBlank() ? "" : "\n[guest.sh] " + result.stderr().strip());
        return new BedRun(name(), result.exitCode(), output, boot, inGuest, logDir, logDir.resolve("console.log"));
    }

    private static Map<String, Long> readTimings(Path file) {
        Map<String, Long> timings = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                String[] kv = line.split("=", 2);
                if (kv.length == 2) {
                    timings.put(kv[0].strip(), Long.parseLong(kv[1].strip()));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // No timings: the guest never reported (the exit code and console log say why).
        }
        return timings;
    }
}
