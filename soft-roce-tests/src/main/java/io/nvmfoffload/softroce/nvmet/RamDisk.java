package io.nvmfoffload.softroce.nvmet;

import io.nvmfoffload.softroce.process.Commands;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A RAM-backed block device from the brd module (/dev/ram0). null_blk would drop the data, and the
 * reference runs fio with verify.
 */
public final class RamDisk implements AutoCloseable {
    private final Path device;

    private RamDisk(Path device) {
        this.device = device;
    }

    public static RamDisk create(long bytes) {
        if (bytes % 1024 != 0 || bytes <= 0) {
            throw new IllegalArgumentException("a RAM disk size must be a positive multiple of 1 KiB, not " + bytes);
        }
        Path dev = Path.of("/dev/ram0");
        if (Files.exists(dev)) {
            throw new IllegalStateException(dev + " already exists: another RamDisk is open or brd was loaded by hand");
        }
        Commands.run(Duration.ofSeconds(60), "modprobe", "brd", "rd_nr=1", "rd_size=" + bytes / 1024).orThrow();
        return new RamDisk(dev);
    }

    public Path device() {
        return device;
    }

    @Override
    public void close() {
        Commands.run(Duration.ofSeconds(60), "rmmod", "brd").orThrow();
    }
}
