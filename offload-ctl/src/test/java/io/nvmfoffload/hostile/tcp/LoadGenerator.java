package io.nvmfoffload.hostile.tcp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * The hostile hosts that keep connections busy without finishing anything, each on one thread of
 * the test: slowloris connections that send a capsule one byte a second, I/O queues that submit a
 * full queue of R2T writes and never send the data, and a loop of connect/close cycles (ICReq,
 * admin Connect, close). The first two reopen what the target closes until {@link #stop()}, so the
 * pressure lasts the whole measurement; the cycles stop at their count. All loopback.
 */
final class LoadGenerator implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(2);
    private static final long SECOND = 1_000_000_000L;

    private final int port;
    private final int slowlorisCount;
    private final int r2tQueues;
    private final int r2tDepth;
    private final int cycles;
    private final long cycleSpacingNanos;
    private final List<Thread> threads = new ArrayList<>();
    private Thread cyclesThread;
    private final List<SpecTcpHost> open = new ArrayList<>();
    private volatile boolean stopping;

    final AtomicLong slowlorisOpened = new AtomicLong();
    final AtomicLong slowlorisClosedByTarget = new AtomicLong();
    final LongAccumulator slowlorisMaxLifeMillis = new LongAccumulator(Math::max, 0);
    final AtomicLong r2tRounds = new AtomicLong();
    final AtomicLong r2tQueuesClosedByTarget = new AtomicLong();
    final LongAccumulator r2tMaxLifeMillis = new LongAccumulator(Math::max, 0);
    final AtomicLong cyclesConnected = new AtomicLong();
    final AtomicLong cyclesRefused = new AtomicLong();
    final AtomicLong cyclesFailed = new AtomicLong();
    final AtomicLong cyclesNanos = new AtomicLong();
    final AtomicLong generatorCpuNanos = new AtomicLong();
    /** What went wrong setting up a hostile connection (the first few), for the report. */
    final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();

    /**
     * @param cycleWindow the connect/close cycles are spread evenly over this time (faster is not
     *                    wanted: they would only take CPU from the host being measured)
     */
    LoadGenerator(int port, int slowlorisCount, int r2tQueues, int r2tDepth, int cycles, Duration cycleWindow) {
        this.port = port;
        this.slowlorisCount = slowlorisCount;
        this.r2tQueues = r2tQueues;
        this.r2tDepth = r2tDepth;
        this.cycles = cycles;
        this.cycleSpacingNanos = cycleWindow.toNanos() / Math.max(1, cycles);
    }

    LoadGenerator start() {
        threads.add(start("hostile-slowloris", this::slowloris));
        threads.add(start("hostile-r2t", this::r2tWithoutData));
        cyclesThread = start("hostile-cycles", this::connectCloseCycles);
        threads.add(cyclesThread);
        return this;
    }

    private Thread start(String name, ThrowingRunnable body) {
        return Thread.ofPlatform().daemon().name(name).start(() -> {
            try {
                body.run();
            } catch (Exception | AssertionError e) {
                problem(Thread.currentThread().getName() + " ended: " + e);
            } finally {
                generatorCpuNanos.addAndGet(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
            }
        });
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** A host NQN of its own for each hostile role, so that max_controllers_per_host does not mix them with the correct host. */
    static String hostNqn(String role) {
        return "nqn.2014-08.org.nvmexpress:uuid:" + UUID.nameUUIDFromBytes(role.getBytes(StandardCharsets.UTF_8));
    }

    private void problem(String what) {
        if (problems.size() < 20) {
            problems.add(what);
        }
    }

    private SpecTcpHost openHost() throws IOException {
        SpecTcpHost h = SpecTcpHost.open("127.0.0.1", port);
        synchronized (open) {
            open.add(h);
        }
        return h;
    }

    private void forget(SpecTcpHost h) {
        h.close();
        synchronized (open) {
            open.remove(h);
        }
    }

    /** True when the target has closed {@code h}; looks for at most a millisecond. */
    private static boolean closedByTarget(SpecTcpHost h) {
        try {
            return h.closedByPeerWithin(POLL);
        } catch (IOException e) {
            return true;
        }
    }

    // --- slowloris ---

    private static final class Lane {
        final int index;
        SpecTcpHost host;
        byte[] capsule;
        int sent;
        long firstByteNanos;
        long nextByteNanos;

        Lane(int index) {
            this.index = index;
        }
    }

    /**
     * Every lane sends one byte of a capsule a second: even lanes a Property Get after a completed
     * admin Connect (only pdu_timeout_ms can end them), odd lanes the Connect capsule itself.
     */
    private void slowloris() throws InterruptedException {
        List<Lane> lanes = new ArrayList<>();
        for (int i = 0; i < slowlorisCount; i++) {
            lanes.add(new Lane(i));
        }
        while (!stopping) {
            long now = System.nanoTime();
            for (Lane lane : lanes) {
                if (lane.host == null) {
                    openLane(lane, now);
                } else if (closedByTarget(lane.host)) {
                    slowlorisClosedByTarget.incrementAndGet();
                    if (lane.sent > 0) {
                        slowlorisMaxLifeMillis.accumulate((System.nanoTime() - lane.firstByteNanos) / 1_000_000);
                    }
                    forget(lane.host);
                    lane.host = null;
                } else if (now >= lane.nextByteNanos && lane.sent < lane.capsule.length) {
                    if (lane.sent == 0) {
                        lane.firstByteNanos = now;  // the target's PDU timer starts with this byte
                    }
                    try {
                        lane.host.sendRaw(new byte[] {lane.capsule[lane.sent++]});
                    } catch (IOException closed) {
                        // the target closed it; the next pass sees that and counts it
                    }
                    lane.nextByteNanos = now + SECOND;
                }
            }
            Thread.sleep(100);
        }
    }

    private void openLane(Lane lane, long now) {
        SpecTcpHost h = null;
        try {
            h = openHost();
            h.initialize();
            String nqn = hostNqn("slowloris-" + lane.index);
            if (lane.index % 2 == 0) {
                Cqe c = h.connectAdmin(nqn, TargetProcess.SUBNQN, 0);
                if (!c.success()) {
                    problem("slowloris admin Connect: " + c);
                }
                Sqe get = Commands.propertyGet(Commands.PROP_CAP, true).cid(h.nextCid());
                lane.capsule = h.capsule(get, null).encode();
            } else {
                byte[] data = Commands.connectData(SpecTcpHost.hostId(nqn), 0xFFFF, TargetProcess.SUBNQN, nqn);
                Sqe connect = Commands.connect(0, 31, 0).cid(h.nextCid()).inCapsuleSgl(data.length);
                lane.capsule = h.capsule(connect, data).encode();
            }
            lane.host = h;
            lane.sent = 0;
            lane.nextByteNanos = now;
            slowlorisOpened.incrementAndGet();
        } catch (IOException e) {
            problem("slowloris open: " + e);
            if (h != null) {
                forget(h);
            }
        }
    }

    // --- R2T writes whose data never comes ---

    /** One controller with {@link #r2tQueues} I/O queues; each queue gets a full queue of writes, then silence. */
    private void r2tWithoutData() throws InterruptedException {
        String nqn = hostNqn("r2t-without-data");
        while (!stopping) {
            List<SpecTcpHost> queues = new ArrayList<>();
            SpecTcpHost admin = null;
            try {
                admin = openHost();
                admin.initialize();
                Cqe c = admin.connectAdmin(nqn, TargetProcess.SUBNQN, 0);
                if (!c.success()) {
                    throw new IOException("admin Connect: " + c);
                }
                admin.enable();
                for (int qid = 1; qid <= r2tQueues; qid++) {
                    SpecTcpHost io = openHost();
                    queues.add(io);
                    io.initialize();
                    Cqe ioc = io.connectIo(nqn, TargetProcess.SUBNQN, admin.cntlid(), qid, r2tDepth - 1);
                    if (!ioc.success()) {
                        throw new IOException("I/O Connect of QID " + qid + ": " + ioc);
                    }
                }
                long[] sent = new long[queues.size()];
                for (int q = 0; q < queues.size(); q++) {
                    queues.get(q).sendRaw(writes(queues.get(q)));
                    sent[q] = System.nanoTime();
                }
                r2tRounds.incrementAndGet();
                awaitClosed(queues, sent);
            } catch (IOException e) {
                problem("R2T round: " + e);
                Thread.sleep(100);
            } finally {
                queues.forEach(this::forget);
                if (admin != null) {
                    forget(admin);
                }
            }
        }
    }

    /** {@link #r2tDepth} Writes of the largest transfer, data by R2T, encoded back to back. */
    private byte[] writes(SpecTcpHost io) {
        int blocks = io.maxH2cData() / TargetProcess.BLOCK;
        ByteArrayOutputStream all = new ByteArrayOutputStream(r2tDepth * 72);
        for (int i = 0; i < r2tDepth; i++) {
            Sqe w = Commands.readWrite(Commands.OPC_WRITE, TargetProcess.NSID, (long) i * blocks % TargetProcess.BLOCKS, blocks)
                    .cid(io.nextCid()).transportSgl(blocks * TargetProcess.BLOCK);
            all.writeBytes(io.capsule(w, null).encode());
        }
        return all.toByteArray();
    }

    private void awaitClosed(List<SpecTcpHost> queues, long[] sent) throws InterruptedException {
        boolean[] closed = new boolean[queues.size()];
        int left = queues.size();
        while (left > 0 && !stopping) {
            for (int q = 0; q < queues.size(); q++) {
                if (!closed[q] && closedByTarget(queues.get(q))) {
                    closed[q] = true;
                    left--;
                    r2tQueuesClosedByTarget.incrementAndGet();
                    r2tMaxLifeMillis.accumulate((System.nanoTime() - sent[q]) / 1_000_000);
                }
            }
            Thread.sleep(50);
        }
    }

    // --- connect/close cycles ---

    private void connectCloseCycles() throws InterruptedException {
        String nqn = hostNqn("connect-close-cycles");
        long start = System.nanoTime();
        for (int i = 0; i < cycles && !stopping; i++) {
            long due = start + i * cycleSpacingNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            SpecTcpHost h = null;
            try {
                h = openHost();
                h.initialize();
                Cqe c = h.connectAdmin(nqn, TargetProcess.SUBNQN, 0);
                (c.success() ? cyclesConnected : cyclesRefused).incrementAndGet();
                if (!c.success()) {
                    problem("cycle " + i + " Connect: " + c);
                }
            } catch (IOException e) {
                cyclesFailed.incrementAndGet();
                problem("cycle " + i + ": " + e);
            } finally {
                if (h != null) {
                    forget(h);
                }
            }
        }
        cyclesNanos.set(System.nanoTime() - start);
    }

    long cyclesDone() {
        return cyclesConnected.get() + cyclesRefused.get() + cyclesFailed.get();
    }

    /** Stops every role, waits for their threads and closes what they still hold. */
    void stop() throws InterruptedException {
        stopping = true;
        for (Thread t : threads) {
            t.join(10_000);
        }
        synchronized (open) {
            open.forEach(SpecTcpHost::close);
            open.clear();
        }
    }

    /** Blocks until the connect/close cycles are done or {@code timeout} passes. */
    void awaitCycles(Duration timeout) throws InterruptedException {
        cyclesThread.join(timeout);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
