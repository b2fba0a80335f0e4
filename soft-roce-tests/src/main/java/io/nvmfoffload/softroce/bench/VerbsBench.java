package io.nvmfoffload.softroce.bench;

import io.nvmfoffload.verbs.Access;
import io.nvmfoffload.verbs.DeviceContext;
import io.nvmfoffload.verbs.QpInitAttributes;
import io.nvmfoffload.verbs.QueuePair;
import io.nvmfoffload.verbs.ReceiveWorkRequests;
import io.nvmfoffload.verbs.SendWorkRequests;
import io.nvmfoffload.verbs.WorkCompletions;
import io.nvmfoffload.verbs.WrOpcode;
import io.nvmfoffload.verbs.cm.CmId;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The verbs binding's counterpart of perftest, to compare on the same device in the same run (see
 * bench/verbs-bench.sh): ping-pong SEND latency like ib_send_lat (2-byte inline sends, busy
 * polling, half the round trip, median reported as "typical") and RDMA WRITE bandwidth like
 * ib_write_bw (64 KiB writes, 128 outstanding, one completion per 100 writes, MB = 2^20 bytes).
 * Both ends run in this JVM on two threads, connected with rdma_cm, as perftest's two processes
 * are with {@code -R}.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp "soft-roce-tests/target/classes:$(cat soft-roce-tests/target/test-classpath.txt)" \
 *     io.nvmfoffload.softroce.bench.VerbsBench \
 *     --address 169.254.77.1 [--port 7600] [--lat-iters 10000] [--bw-iters 5000] [--warmup-seconds 15]</pre>
 *
 * Prints human-readable results and one {@code RESULT key=value ...} line for scripts.
 */
public final class VerbsBench {
    private static final int STOP = 0x5709;
    private static final int PLAIN = 0;
    private static final int SIGNALED = 1;
    private static final int STOPPING = 2;
    private static final int RING = 64;
    private static final int SIGNAL_EVERY = 64;

    private final InetSocketAddress address;
    private final int latIters;
    private final int latSize;
    private final int bwIters;
    private final int bwSize;
    private final int txDepth;
    private final int cqMod;
    private final long warmupNanos;

    private VerbsBench(Map<String, String> options) throws Exception {
        address = new InetSocketAddress(InetAddress.getByName(options.getOrDefault("address", "169.254.77.1")),
                Integer.parseInt(options.getOrDefault("port", "7600")));
        latIters = Integer.parseInt(options.getOrDefault("lat-iters", "10000"));
        latSize = Integer.parseInt(options.getOrDefault("lat-size", "2"));
        bwIters = Integer.parseInt(options.getOrDefault("bw-iters", "5000"));
        bwSize = Integer.parseInt(options.getOrDefault("bw-size", "65536"));
        txDepth = Integer.parseInt(options.getOrDefault("tx-depth", "128"));
        cqMod = Integer.parseInt(options.getOrDefault("cq-mod", "100"));
        warmupNanos = (long) (Double.parseDouble(options.getOrDefault("warmup-seconds", "15")) * 1e9);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value pairs, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        new VerbsBench(options).run();
    }

    /** One end of the connection: its QP, CQs, registered buffer and preallocated work requests. */
    private static final class End extends LoopbackEnd {
        final SendWorkRequests sends = new SendWorkRequests(3, 1);
        final ReceiveWorkRequests recvs = new ReceiveWorkRequests(RING, 1);

        End(DeviceContext ctx, long bufferBytes) {
            super(ctx, 512, 512, null, bufferBytes, 16, Access.LOCAL_WRITE, Access.REMOTE_WRITE, Access.REMOTE_READ);
        }

        QueuePair createQp(CmId id) {
            qp = id.createQueuePair(pd, QpInitAttributes.reliableConnected(sendCq, recvCq)
                    .maxSendWr(256).maxRecvWr(RING + 8).maxInlineData(64));
            for (int i = 0; i < RING; i++) {
                recvs.get(i).reset().wrId(i).addSge(mr, (long) i * 64, 64);
            }
            qp.postReceive(recvs, RING);
            return qp;
        }

        /** The receive buffer to post again after the next send; -1: none. */
        private int repostAfterSend = -1;

        /**
         * Busy-polls one receive completion and returns its immediate data (or -1). Its buffer is
         * posted again after the next send: the answer goes out first, and with a ring of
         * receives posted the peer's next message cannot overtake that.
         */
        int awaitReceive() {
            // A bare spin, as perftest's: under emulation (qemu TCG) the PAUSE that onSpinWait emits
            // leaves the translated-code loop, which costs more than the poll itself.
            while (recvCq.poll(wcs, 1) == 0) {
            }
            wcs.requireSuccess(0);
            int imm = wcs.hasImmediateData(0) ? wcs.immediateData(0) : -1;
            if (repostAfterSend >= 0) {  // no send since the last receive
                qp.postReceive(recvs, repostAfterSend, 1);
            }
            repostAfterSend = (int) wcs.wrId(0);
            return imm;
        }

        /**
         * Prepares the three messages once, as perftest does: later posts only pick one, so a
         * round trip writes no work-request field at all.
         */
        void prepareMessages(int size) {
            long source = mr.address() + RING * 64L;
            sends.get(PLAIN).reset().wrId(PLAIN).opcode(WrOpcode.SEND).inline(true).addSge(source, size, mr.lkey());
            sends.get(SIGNALED).reset().wrId(SIGNALED).opcode(WrOpcode.SEND).inline(true).signaled(true)
                    .addSge(source, size, mr.lkey());
            sends.get(STOPPING).reset().wrId(STOPPING).opcode(WrOpcode.SEND_WITH_IMM).immediateData(STOP).inline(true)
                    .signaled(true).addSge(source, size, mr.lkey());
        }

        void send(int message) {
            qp.postSend(sends, message, 1);
            if (repostAfterSend >= 0) {
                qp.postReceive(recvs, repostAfterSend, 1);
                repostAfterSend = -1;
            }
        }

        /** Answers each ping with a pong until a message carries the stop mark (answered too). */
        void serveUntilStopped() {
            long i = 0;
            while (true) {
                int imm = awaitReceive();
                boolean signaled = i++ % SIGNAL_EVERY == SIGNAL_EVERY - 1;
                send(signaled ? SIGNALED : PLAIN);
                if (signaled) {
                    reapSends();
                }
                if (imm == STOP) {
                    return;
                }
            }
        }

        /** Reaps send completions that are already there, so the send queue never fills. */
        void reapSends() {
            int n = sendCq.poll(wcs);
            for (int i = 0; i < n; i++) {
                wcs.requireSuccess(i);
            }
        }

        @Override
        public void close() {
            super.close();
            sends.close();
            recvs.close();
        }
    }

    private void run() throws Exception {
        long buffer = Math.max((long) bwSize * 16, RING * 64L + 4096);
        try (CmLoopback cm = CmLoopback.listen(address)) {
            DeviceContext ctx = cm.context();
            System.out.println("device " + ctx.name() + ", " + address + ", JVM " + Runtime.version()
                    + ", " + ManagementFactory.getRuntimeMXBean().getInputArguments());
            try (End server = new End(ctx, buffer); End client = new End(ctx, buffer)) {
                cm.connect(server::createQp, server.mr, client::createQp);
                long remoteAddress = cm.remoteAddress();
                int rkey = cm.remoteKey();

                client.prepareMessages(latSize);
                server.prepareMessages(latSize);
                Thread serverThread = Thread.ofPlatform().name("bench-server").start(() -> {
                    server.serveUntilStopped();
                    server.serveUntilStopped();
                });
                latencyWarmup(client);
                double[] latency = latency(client);
                serverThread.join();

                bandwidthWarmup(client, remoteAddress, rkey);
                long allocatedBefore = allocatedBytes();
                double bandwidth = bandwidth(client, remoteAddress, rkey, bwIters);
                long allocated = allocatedBytes() - allocatedBefore;

                System.out.printf("java ping-pong SEND latency (%d bytes, inline): typical %.2f us, average %.2f us over %d iterations%n",
                        latSize, latency[0], latency[1], latIters);
                System.out.printf("java RDMA WRITE bandwidth (%d bytes, %d outstanding): %.2f MB/sec over %d writes%n",
                        bwSize, txDepth, bandwidth, bwIters);
                System.out.printf("bytes allocated by the posting thread during the measured latency loop: %d, bandwidth loop: %d%n",
                        (long) latency[2], allocated);
                System.out.printf("RESULT java_lat_typical_us=%.3f java_lat_avg_us=%.3f java_bw_MBps=%.3f lat_alloc_bytes=%d bw_alloc_bytes=%d%n",
                        latency[0], latency[1], bandwidth, (long) latency[2], allocated);

                cm.disconnect();
            }
        }
    }

    /**
     * Ping-pongs through the same method as the measurement until the JIT has been idle for
     * {@value JitWatch#IDLE_MS} ms (and at least the warm-up time has passed): in the 2-CPU guest a
     * compiler thread still at work takes a CPU from one of the two pollers, which shows up as
     * milliseconds of latency.
     */
    private void latencyWarmup(End client) {
        long[] chunk = new long[1000];
        long start = System.nanoTime();
        long id = 0;
        JitWatch jit = new JitWatch();
        while (System.nanoTime() - start < warmupNanos || !jit.idle()) {
            pingPongs(client, chunk, id);
            id += chunk.length;
            if (System.nanoTime() - start > 6 * warmupNanos) {
                break;
            }
        }
        stop(client);
        System.out.printf("latency warm-up: %d round trips in %.1f s, JIT compile time so far %d ms%n",
                id, (System.nanoTime() - start) / 1e9, jit.totalMs());
    }

    /** Returns {typical (median) us, average us, bytes allocated} of half round trips. */
    private double[] latency(End client) {
        long[] samples = new long[latIters];
        long allocatedBefore = allocatedBytes();
        pingPongs(client, samples, 0);
        long allocated = allocatedBytes() - allocatedBefore;
        stop(client);
        Arrays.sort(samples);
        double typical = samples[latIters / 2] / 2e3;
        double average = Arrays.stream(samples).average().orElse(0) / 2e3;
        System.out.printf("java latency [us]: min %.2f, 25%% %.2f, median %.2f, 75%% %.2f, 99%% %.2f, 99.9%% %.2f, max %.2f%n",
                samples[0] / 2e3, samples[latIters / 4] / 2e3, typical, samples[latIters * 3 / 4] / 2e3,
                samples[(int) (latIters * 0.99)] / 2e3, samples[(int) (latIters * 0.999)] / 2e3, samples[latIters - 1] / 2e3);
        return new double[] {typical, average, allocated};
    }

    /**
     * Round trip times into {@code samples}, one clock read per round trip (the difference of
     * consecutive reads), as perftest takes one cycle-counter read per iteration: on a guest whose
     * clock is HPET a read is a system call, which perftest's rdtsc does not pay (the bed's guest
     * keeps time from the TSC, where a read is cheap). Warm-up
     * and measurement share this method so that both run the same compiled code.
     */
    private void pingPongs(End client, long[] samples, long firstId) {
        long previous = System.nanoTime();
        for (int i = 0; i < samples.length; i++) {
            pingPong(client, firstId + i);
            long now = System.nanoTime();
            samples[i] = now - previous;
            previous = now;
        }
    }

    private static void pingPong(End client, long i) {
        boolean signaled = i % SIGNAL_EVERY == SIGNAL_EVERY - 1;
        client.send(signaled ? SIGNALED : PLAIN);
        client.awaitReceive();
        if (signaled) {
            client.reapSends();
        }
    }

    /** Ends a server loop: the stop message is answered like any other, then the server returns. */
    private static void stop(End client) {
        client.send(STOPPING);
        client.awaitReceive();
        client.reapSends();
    }

    /** Half a measurement's worth of writes, then more until the JIT is idle. */
    private void bandwidthWarmup(End client, long remoteAddress, int rkey) {
        long start = System.nanoTime();
        JitWatch jit = new JitWatch();
        bandwidth(client, remoteAddress, rkey, Math.max(1, bwIters / 2));
        while (!jit.idle() && System.nanoTime() - start < 6 * warmupNanos) {
            bandwidth(client, remoteAddress, rkey, Math.max(1, Math.min(1000, bwIters / 4)));
        }
        System.out.printf("bandwidth warm-up: %.1f s, JIT compile time so far %d ms%n", (System.nanoTime() - start) / 1e9, jit.totalMs());
    }

    /** MB/sec (MB = 2^20 bytes, as perftest reports) of {@code iters} RDMA WRITEs. */
    private double bandwidth(End client, long remoteAddress, int rkey, int iters) {
        SendWorkRequests wrs = client.sends;
        WorkCompletions wcs = client.wcs;
        long posted = 0;
        long completed = 0;
        long start = System.nanoTime();
        while (completed < iters) {
            while (posted < iters && posted - completed < txDepth) {
                boolean signaled = posted % cqMod == cqMod - 1 || posted == iters - 1;
                wrs.get(0).reset().wrId(posted).opcode(WrOpcode.RDMA_WRITE).signaled(signaled)
                        .remote(remoteAddress + (posted % 16) * bwSize, rkey).addSge(client.mr, 0, bwSize);
                client.qp.postSend(wrs, 1);
                posted++;
            }
            int n = client.sendCq.poll(wcs);
            for (int i = 0; i < n; i++) {
                wcs.requireSuccess(i);
                completed = wcs.wrId(i) + 1;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return (double) iters * bwSize / seconds / (1 << 20);
    }

    private static long allocatedBytes() {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        if (mx instanceof com.sun.management.ThreadMXBean sun) {
            return sun.getCurrentThreadAllocatedBytes();
        }
        return -1;
    }
}
