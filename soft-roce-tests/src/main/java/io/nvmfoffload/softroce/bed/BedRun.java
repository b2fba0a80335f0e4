package io.nvmfoffload.softroce.bed;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What one run in a bed produced.
 *
 * @param boot          time until the script started (guest boot, container start); zero on the host
 * @param inBed         time the script ran
 * @param kernelConsole the guest kernel's console log, when the bed has one
 */
public record BedRun(String bed, int exitCode, String output, Duration boot, Duration inBed, Path logDir,
                     Path kernelConsole) {

    public String timingLine() {
        return String.format("soft-RoCE bed '%s': boot %.1f s, in bed %.1f s, exit %d", bed,
                boot.toMillis() / 1000.0, inBed.toMillis() / 1000.0, exitCode);
    }
}
