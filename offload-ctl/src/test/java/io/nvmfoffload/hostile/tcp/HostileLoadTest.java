package io.nvmfoffload.hostile.tcp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 20's acceptance: under hostile load the target's memory stays bounded, it closes the
 * connections that never connect within connect_timeout_ms, and a correct host keeps being served.
 * The target runs as {@code offload-ctl serve} in a JVM of its own so its RSS is its alone; the
 * load and the correct host run here, on the same cores, so the IOPS ratio is printed, never asserted.
 */
class HostileLoadTest {
    private static final String HOSTNQN = LoadGenerator.hostNqn("correct-host");
    private static final int IDLE = 500;
    private static final int SLOWLORIS = 20;
    private static final int R2T_QUEUES = 4;
    private static final int R2T_DEPTH = 1024;
    private static final int CYCLES = 2_000;
    private static final int QUEUE_DEPTH = 8;
    private static final Duration WARM_UP = Duration.ofSeconds(2);
    /** Long enough for the JIT to compile the target's paths for every hostile role before the measurement. */
    private static final Duration LOAD_WARM_UP = Duration.ofSeconds(4);
    private static final Duration MEASURE = Duration.ofSeconds(5);
    /**
     * Short timeouts so the test sees them act; connect_timeout_ms outlasts the loaded measurement,
     * so the idle connections are all there while the correct host is measured.
     */
    private static final TargetProcess.Limits LIMITS = new TargetProcess.Limits(64, 16, 600, 6_000, 2_000, 64);
    /** The target checks its timeouts every 250 ms; the rest covers accept lag and two cores shared with the load. */
    private static final long CLOSE_MARGIN_MILLIS = 1_500;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void targetStaysBoundedClosesIdleConnectionsAndServesACorrectHostUnderHostileLoad() throws Exception {
        try (TargetProcess target = TargetProcess.start(dir, LIMITS); RssSampler rss = new RssSampler(target);
             SpecTcpHost admin = connectAdmin(target); SpecTcpHost io = connectIo(target, admin)) {
            IopsMeter meter = new IopsMeter(io, QUEUE_DEPTH, TargetProcess.BLOCKS, TargetProcess.BLOCK);
            Set<Long> correctHost = CpuBreakdown.queueThreads(target);
            rss.phase("warm-up");
            warmUp(target, meter);

            rss.phase("unloaded");
            CpuBreakdown unloadedCpu = new CpuBreakdown(target, correctHost);
            IopsMeter.Run before = meter.run(MEASURE);
            String unloadedUse = unloadedCpu.describe(before);

            rss.phase("loaded");
            IopsMeter.Run loaded;
            String loadedUse;
            CpuBreakdown loadedCpu;
            try (IdleConnections idle = IdleConnections.open(target.port, IDLE);
                 LoadGenerator load = new LoadGenerator(target.port, SLOWLORIS, R2T_QUEUES, R2T_DEPTH, CYCLES, MEASURE).start()) {
                Thread.sleep(500);  // the R2T queues fill and the slowloris lanes connect before the measurement
                loadedCpu = new CpuBreakdown(target, correctHost);
                loaded = meter.run(MEASURE);
                loadedUse = loadedCpu.describe(loaded);
                load.awaitCycles(Duration.ofSeconds(15));
                long closeDeadline = idle.openedLastNanos() + (LIMITS.connectTimeoutMillis() + CLOSE_MARGIN_MILLIS) * 1_000_000L;
                boolean allClosed = idle.awaitAllClosed(closeDeadline);
                load.stop();
                System.out.printf("hostile-load: %d idle connections opened in %d ms (slowest connect %d ms); the target closed them "
                                + "after: %s (connect_timeout_ms %d); %d still open%n", idle.count(), idle.openMillis(),
                        idle.slowestConnectMillis(), idle.lifetimes(), LIMITS.connectTimeoutMillis(), idle.stillOpen());
                report(load);
                assertTrue(allClosed, idle.stillOpen() + " of " + IDLE + " idle connections still open "
                        + CLOSE_MARGIN_MILLIS + " ms after connect_timeout_ms " + LIMITS.connectTimeoutMillis());
                assertTrue(idle.maxLifetimeMillis() <= LIMITS.connectTimeoutMillis() + CLOSE_MARGIN_MILLIS,
                        "an idle connection lived " + idle.maxLifetimeMillis() + " ms");
            }

            // unloaded again: the machine's other tenants drift, so the ratio is against both runs
            rss.phase("after");
            IopsMeter.Run after = meter.run(MEASURE);
            double unloaded = (before.iops() + after.iops()) / 2;
            System.out.printf("hostile-load: correct host IOPS loaded/unloaded = %.2f (%.0f / %.0f; unloaded before %.0f, after %.0f)%n",
                    loaded.iops() / unloaded, loaded.iops(), unloaded, before.iops(), after.iops());
            System.out.println("hostile-load: CPU unloaded: " + unloadedUse);
            System.out.println("hostile-load: CPU loaded:   " + loadedUse);
            double perCoreUnloaded = unloadedCpu.iopsPerCorrectHostCore(before);
            double perCoreLoaded = loadedCpu.iopsPerCorrectHostCore(loaded);
            System.out.printf("hostile-load: correct host IOPS per core of its path (its thread and its queue's in the target): "
                    + "loaded/unloaded = %.2f (%.0f / %.0f); the rest of the IOPS ratio is cores taken by the load and "
                    + "the target's work for it%n", perCoreLoaded / perCoreUnloaded, perCoreLoaded, perCoreUnloaded);
            System.out.printf("hostile-load: target peak VmRSS %.0f MiB (bound %d MiB), peak threads %d; by phase: %s%n",
                    rss.peakKib() / 1024.0, rssBoundMib(), rss.peakThreads(), rss.describe());

            assertTrue(target.isAlive(), "the target process died:\n" + target.logTail());
            assertStillServes(target, io);
            assertTrue(rss.peakKib() < rssBoundMib() * 1024, String.format("target peak VmRSS %.0f MiB is above the bound of %d MiB",
                    rss.peakKib() / 1024.0, rssBoundMib()));
        }
    }

    /**
     * Runs the correct host, then a little of each hostile role, so that the JIT has compiled the
     * target's paths for both before anything is measured.
     */
    private static void warmUp(TargetProcess target, IopsMeter meter) throws Exception {
        meter.run(WARM_UP);
        try (LoadGenerator load = new LoadGenerator(target.port, 2, 1, R2T_DEPTH, 800, LOAD_WARM_UP).start()) {
            meter.run(LOAD_WARM_UP);
        }
    }

    /** The JVM's own memory besides the heap: code, metaspace, class data sharing, G1's tables for the heap, JIT arenas. */
    static final long JVM_NON_HEAP_MIB = 120;
    /**
     * Native memory one connection may hold outside the data buffer pool: its platform thread's
     * touched stack (about 70 KiB), receive buffer (64 KiB), in-capsule buffer (8 KiB), discard
     * buffer (4 KiB), allocation alignment, and its request slots, two per queue entry, about
     * 112 bytes each with malloc's headers (2,048 slots at the largest queue, 224 KiB).
     */
    static final long PER_CONNECTION_KIB = 400;

    /**
     * The bound on the target's resident memory, from what the limits let hosts make it hold:
     * JVM_NON_HEAP_MIB + the heap cap (-Xmx, all of it may be touched) + the RAM namespace (zeroed at
     * creation, so all resident) + the port's data buffer pool (data_buffer_pool_size, buffers made
     * on first use and kept) + max_connections_per_port x PER_CONNECTION_KIB. Java objects of
     * connections are inside the heap cap. With the test's limits: 120 + 256 + 64 + 64 + 600 x 400 KiB.
     */
    static long rssBoundMib() {
        return JVM_NON_HEAP_MIB + Long.parseLong(TargetProcess.HEAP.replace("m", "")) + TargetProcess.NAMESPACE_MIB
                + LIMITS.dataBufferPoolMib() + LIMITS.maxConnectionsPerPort() * PER_CONNECTION_KIB / 1024;
    }

    private static void report(LoadGenerator load) {
        System.out.printf("hostile-load: slowloris %d opened, %d closed by the target, longest lived %d ms after its first byte "
                        + "(pdu_timeout_ms %d)%n", load.slowlorisOpened.get(), load.slowlorisClosedByTarget.get(),
                load.slowlorisMaxLifeMillis.get(), LIMITS.pduTimeoutMillis());
        System.out.printf("hostile-load: R2T without data: %d rounds of %d queues x %d writes, %d queues closed by the target, "
                        + "longest lived %d ms%n", load.r2tRounds.get(), R2T_QUEUES, R2T_DEPTH, load.r2tQueuesClosedByTarget.get(),
                load.r2tMaxLifeMillis.get());
        System.out.printf("hostile-load: connect/close cycles: %d connected, %d refused, %d failed, in %d ms%n",
                load.cyclesConnected.get(), load.cyclesRefused.get(), load.cyclesFailed.get(), load.cyclesNanos.get() / 1_000_000);
        load.problems.forEach(p -> System.out.println("hostile-load: problem: " + p));
    }

    private static SpecTcpHost connectAdmin(TargetProcess target) throws IOException {
        SpecTcpHost admin = SpecTcpHost.open("127.0.0.1", target.port);
        try {
            admin.initialize();
            Cqe c = admin.connectAdmin(HOSTNQN, TargetProcess.SUBNQN, 0);
            assertTrue(c.success(), () -> "admin Connect failed: " + c);
            admin.enable();
            return admin;
        } catch (IOException | RuntimeException | AssertionError e) {
            admin.close();
            throw e;
        }
    }

    private static SpecTcpHost connectIo(TargetProcess target, SpecTcpHost admin) throws IOException {
        SpecTcpHost io = SpecTcpHost.open("127.0.0.1", target.port);
        try {
            io.initialize();
            Cqe c = io.connectIo(HOSTNQN, TargetProcess.SUBNQN, admin.cntlid(), 1, 31);
            assertTrue(c.success(), () -> "I/O Connect failed: " + c);
            return io;
        } catch (IOException | RuntimeException | AssertionError e) {
            io.close();
            throw e;
        }
    }

    /** The measured host's queue still works, and so does a new controller: write 4 KiB, read it back. */
    private static void assertStillServes(TargetProcess target, SpecTcpHost oldIo) throws IOException {
        assertTrue(oldIo.read(TargetProcess.NSID, 0, 1, TargetProcess.BLOCK).success(), "the measured host's queue no longer reads");
        try (SpecTcpHost admin = connectAdmin(target); SpecTcpHost io = connectIo(target, admin)) {
            byte[] data = new byte[TargetProcess.BLOCK];
            new SplittableRandom().nextBytes(data);
            Completion w = io.writeInCapsule(TargetProcess.NSID, 7, data, TargetProcess.BLOCK);
            assertTrue(w.success(), () -> "write after the load failed: " + w);
            Completion r = io.read(TargetProcess.NSID, 7, 1, TargetProcess.BLOCK);
            assertTrue(r.success(), () -> "read after the load failed: " + r);
            assertEquals(TargetProcess.BLOCK, r.bytesReceived());
            assertArrayEquals(data, r.data(), "data read back after the load");
        }
    }
}
