package io.nvmfoffload.hostile.tcp;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.nvmfoffload.nvmf.transport.tcp.TcpTransport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * NVMe/TCP under a stateful Jazzer fuzzer: each input is a host session ({@link FuzzSession}) on
 * fresh connections to one target, whose steps choose which PDU comes next (ICReq, Connect,
 * Property Set, I/O with in-capsule data or R2T/H2CData, reads, and more) and mutate its fields,
 * valid PDUs and invalid ones interleaved. Every build runs the seeds (sessions that reach the I/O
 * phase) as regression tests; {@code scripts/fuzz.sh tcp-session} fuzzes it.
 */
class TcpSessionFuzzTest {
    /** How often, in inputs, the fuzzing run checks that a correct host still reads what it wrote. */
    private static final int ALIVE_EVERY = 50;
    private static final boolean FUZZING = System.getenv("JAZZER_FUZZ") != null && !System.getenv("JAZZER_FUZZ").isEmpty();
    private static final AtomicReference<Throwable> UNCAUGHT = new AtomicReference<>();
    private static final AtomicReference<LogRecord> BAD_LOG = new AtomicReference<>();
    private static HostileTarget target;
    private static Thread.UncaughtExceptionHandler previousHandler;
    private static int inputs;

    /** Records what a target may never log whatever a host does: SEVERE, an exception, a command failed inside it. */
    private static final Handler LOG_WATCH = new Handler() {
        @Override
        public void publish(LogRecord r) {
            String logger = r.getLoggerName();
            boolean ours = logger != null && logger.startsWith("io.nvmfoffload");
            if (ours && (r.getLevel().intValue() >= Level.SEVERE.intValue() || r.getThrown() != null
                    || String.valueOf(r.getMessage()).contains("failed inside the target"))) {
                BAD_LOG.compareAndSet(null, r);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void start() throws IOException {
        previousHandler = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> UNCAUGHT.compareAndSet(null, e));
        Logger.getLogger("").addHandler(LOG_WATCH);
        target = HostileTarget.start();
    }

    @AfterAll
    static void stop() {
        if (target != null) {
            target.close();
        }
        Logger.getLogger("").removeHandler(LOG_WATCH);
        Thread.setDefaultUncaughtExceptionHandler(previousHandler);
    }

    /**
     * Whatever a host sends, the target answers each command it can read (never with Internal
     * Error), or sends a C2HTermReq, or closes, within 2 s; it closes every connection the host
     * half-closes; once they are closed it holds no data buffer, connection or controller; nothing
     * inside it fails; and a correct host then still writes 4 KiB and reads them back.
     */
    @FuzzTest(maxDuration = "10m")
    void anyHostSessionIsAnsweredAndLeavesTheTargetWhole(byte[] input) throws IOException {
        // the harness itself connects to the target on loopback; anything else is a finding
        BugDetectors.allowNetworkConnections((host, p) -> p == target.port
                && (host.equals("127.0.0.1") || host.equals("localhost")));
        try (FuzzSession session = new FuzzSession(target, new FuzzBytes(input))) {
            session.run();
        }
        assertReleased();
        if (!FUZZING || ++inputs % ALIVE_EVERY == 0) {
            target.assertAlive();
            assertReleased();
        }
    }

    /** Connections, data buffers and controllers return to none once the hosts closed; nothing failed inside. */
    private static void assertReleased() {
        TcpTransport tcp = target.tcp();
        long deadline = System.nanoTime() + FuzzConnection.BOUND.toNanos();
        while (tcp.connectionCount() + tcp.dataBuffers().inUseBytes() + target.controllers() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000);
        }
        if (tcp.connectionCount() + tcp.dataBuffers().inUseBytes() + target.controllers() > 0) {
            fail(String.format("%d ms after the hosts closed: %d connections, %d bytes of data buffers in use, %d controllers",
                    FuzzConnection.BOUND.toMillis(), tcp.connectionCount(), tcp.dataBuffers().inUseBytes(), target.controllers()));
        }
        Throwable t = UNCAUGHT.getAndSet(null);
        if (t != null) {
            throw new AssertionError("a target thread died: " + t, t);
        }
        LogRecord r = BAD_LOG.getAndSet(null);
        if (r != null) {
            throw new AssertionError("the target logged " + r.getLevel() + " from " + r.getLoggerName() + ": " + r.getMessage()
                    + " " + java.util.Arrays.toString(r.getParameters()), r.getThrown());
        }
    }
}
