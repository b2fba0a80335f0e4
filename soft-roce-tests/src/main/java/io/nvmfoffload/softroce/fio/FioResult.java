package io.nvmfoffload.softroce.fio;

/**
 * The figures of one fio job (summed over its read and write sides where both ran).
 *
 * @param error      fio's per-job error number; verify failures make it non-zero
 * @param cpuPercent fio's own CPU (user + system, percent of one CPU): a job near 100 is bound by
 *                   its own thread, whatever the target does
 */
public record FioResult(String job, int error, Side read, Side write, double cpuPercent) {

    /** One direction: I/O per second, bandwidth in bytes per second, mean and p99 latency (submission to completion). */
    public record Side(long ios, double iops, double bytesPerSecond, double meanLatencyMicros, double p99LatencyMicros) {}

    public double iops() {
        return read.iops() + write.iops();
    }
}
