package io.nvmfoffload.softroce.fio;

/**
 * The figures of one fio job (summed over its read and write sides where both ran).
 *
 * @param error fio's per-job error number; verify failures make it non-zero
 */
public record FioResult(String job, int error, Side read, Side write) {

    /** One direction: I/O per second, bandwidth in bytes per second, mean and p99 latency (submission to completion). */
    public record Side(long ios, double iops, double bytesPerSecond, double meanLatencyMicros, double p99LatencyMicros) {}

    public double iops() {
        return read.iops() + write.iops();
    }
}
