package io.nvmfoffload.hostile.tcp;

import java.io.IOException;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * A correct host's random-read rate: {@code depth} reads of one block kept in flight on one I/O
 * queue (a new one submitted as each completes) for a fixed time. Every read must succeed with the
 * whole block; a failed or short read is an error, not a slower rate.
 */
final class IopsMeter {
    /** The result of one run: completed reads, how long they took, and the CPU time of the measuring thread. */
    record Run(long reads, long nanos, long hostCpuNanos) {
        double iops() {
            return reads * 1e9 / nanos;
        }
    }

    private final SpecTcpHost io;
    private final int depth;
    private final long blocks;
    private final int blockSize;
    private final SplittableRandom random = new SplittableRandom(20);

    IopsMeter(SpecTcpHost io, int depth, long blocks, int blockSize) {
        this.io = io;
        this.depth = depth;
        this.blocks = blocks;
        this.blockSize = blockSize;
    }

    /** Keeps {@code depth} reads in flight for {@code duration}, then waits for the last ones. */
    Run run(Duration duration) throws IOException {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        for (int i = 0; i < depth; i++) {
            submit();
        }
        long reads = 0;
        int inFlight = depth;
        while (inFlight > 0) {
            Completion c = io.awaitAny();
            if (!c.success() || c.bytesReceived() != blockSize) {
                throw new IOException("a correct host's read failed: " + c);
            }
            reads++;
            if (System.nanoTime() < end) {
                submit();
            } else {
                inFlight--;
            }
        }
        return new Run(reads, System.nanoTime() - start, threads.getCurrentThreadCpuTime() - cpuStart);
    }

    private void submit() throws IOException {
        long lba = random.nextLong(blocks);
        io.submit(Commands.readWrite(Commands.OPC_READ, TargetProcess.NSID, lba, 1), null, null, blockSize);
    }
}
