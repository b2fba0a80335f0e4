package io.nvmfoffload.softroce.bench;

import io.nvmfoffload.softroce.bed.Rxe;
import io.nvmfoffload.verbs.Access;
import io.nvmfoffload.verbs.DeviceContext;
import io.nvmfoffload.verbs.QpInitAttributes;
import io.nvmfoffload.verbs.QueuePair;
import io.nvmfoffload.verbs.ReceiveWorkRequests;
import io.nvmfoffload.verbs.SendWorkRequests;
import io.nvmfoffload.verbs.WrOpcode;
import io.nvmfoffload.verbs.cm.CmId;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * rxe's rate of the two posts our RDMA target makes for each read: a 4 KiB RDMA WRITE of the data
 * chained with a 16-byte SEND of the response in one {@code ibv_post_send}, the WRITE unsignaled and
 * the SEND signaled, as the target posts them. The sender keeps {@code depth} pairs outstanding (a
 * pair is outstanding until its SEND completes, that is until the receiver acknowledged it) and
 * posts a slot's next pair when its SEND completes; the rate is the pairs completed per second of a
 * time-based run after a warm-up. Both ends are user-space queue pairs of this JVM connected through
 * rdma_cm, as ib_write_bw's two processes; the receiver sleeps on its completion channel and posts
 * its receives again in batches, so that like ib_write_bw's idle server it leaves the CPUs to the sender.
 *
 * <pre>soft-roce-tests/bench/run-main-in-guest.sh io.nvmfoffload.softroce.bench.WriteSendBench 10</pre>
 */
public final class WriteSendBench {
    static final int WRITE_BYTES = 4096;
    static final int RESPONSE_BYTES = 16;
    /** The rdma_cm port both ends meet on. */
    private static final int PORT = 7650;
    /** Receives posted at the receiver: enough that a late wake-up never leaves a SEND without one (RNR). */
    private static final int RING = 4096;
    /** The warm-up runs at least this long, then until the JIT is idle, but no longer than {@link #WARMUP_MAX_NANOS}. */
    private static final long WARMUP_NANOS = 5_000_000_000L;
    private static final long WARMUP_MAX_NANOS = 60_000_000_000L;
    /** How long the last pairs may take to complete once no more are posted. */
    private static final long DRAIN_NANOS = 30_000_000_000L;

    private WriteSendBench() {}

    /** Prints the pair rate at QD32 on rxe0 for {@code BENCH_SECONDS} (default 10) and a RESULT line. */
    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(System.getenv().getOrDefault("BENCH_SECONDS", "10"));
        double rate = pairRate(32, seconds);
        System.out.printf("rxe 4 KiB RDMA WRITE + 16-byte SEND pairs, 32 outstanding: %.0f pairs/s%nRESULT write_send_pairs_per_s=%.1f%n",
                rate, rate);
    }

    /** Pairs per second on rxe0 with {@code depth} outstanding, measured for {@code seconds} after the warm-up. */
    public static double pairRate(int depth, int seconds) throws Exception {
        return pairRate(new InetSocketAddress(InetAddress.getByName(Rxe.address()), PORT), depth, seconds);
    }

    private static double pairRate(InetSocketAddress address, int depth, int seconds) throws Exception {
        try (CmLoopback cm = CmLoopback.listen(address)) {
            DeviceContext ctx = cm.context();
            try (Receiver receiver = new Receiver(ctx, depth); Sender sender = new Sender(ctx, depth)) {
                cm.connect(receiver::createQp, receiver.mr, sender::createQp);
                sender.prepare(cm.remoteAddress(), cm.remoteKey());
                Thread receiving = Thread.ofPlatform().name("write-send-receiver").start(receiver::receiveUntilStopped);
                double rate;
                try {
                    sender.postAll();
                    long start = System.nanoTime();
                    JitWatch jit = new JitWatch();
                    while (System.nanoTime() - start < WARMUP_NANOS || !jit.idle() && System.nanoTime() - start < WARMUP_MAX_NANOS) {
                        sender.run(500_000_000L);
                    }
                    long measured = System.nanoTime();
                    long pairs = sender.run(seconds * 1_000_000_000L);
                    rate = pairs / ((System.nanoTime() - measured) / 1e9);
                    System.out.printf("write+send warm-up %.1f s, JIT compile time so far %d ms; %d pairs in %d s%n",
                            (measured - start) / 1e9, jit.totalMs(), pairs, seconds);
                    sender.drain(DRAIN_NANOS);
                } finally {
                    receiver.stop = true;
                    receiving.join();
                    if (receiver.failure != null) {
                        throw new IllegalStateException("the receiving end failed: " + receiver.failure.getMessage(), receiver.failure);
                    }
                }
                cm.disconnect();
                return rate;
            }
        }
    }

    /** The target's side: posts the pairs and reaps the SENDs' completions on one thread, busy polling as the target's poller does. */
    private static final class Sender extends LoopbackEnd {
        private final int depth;
        /** Slot s's pair is entries 2s (WRITE) and 2s + 1 (SEND), prepared once: a post only links them. */
        private final SendWorkRequests pairs;
        private int outstanding;

        /** Its buffer holds each slot's data, then each slot's response. */
        Sender(DeviceContext ctx, int depth) {
            super(ctx, 2 * depth, 4, null, (long) depth * (WRITE_BYTES + RESPONSE_BYTES), 64, Access.LOCAL_WRITE);
            this.depth = depth;
            pairs = new SendWorkRequests(2 * depth, 1);
        }

        QueuePair createQp(CmId id) {
            qp = id.createQueuePair(pd, QpInitAttributes.reliableConnected(sendCq, recvCq).maxSendWr(2 * depth + 4).maxRecvWr(1)
                    .maxSendSge(1).maxRecvSge(1));
            return qp;
        }

        void prepare(long remoteAddress, int rkey) {
            long responses = (long) depth * WRITE_BYTES;
            for (int s = 0; s < depth; s++) {
                pairs.get(2 * s).reset().wrId(s).opcode(WrOpcode.RDMA_WRITE).signaled(false)
                        .remote(remoteAddress + (long) s * WRITE_BYTES, rkey).addSge(mr, (long) s * WRITE_BYTES, WRITE_BYTES);
                pairs.get(2 * s + 1).reset().wrId(s).opcode(WrOpcode.SEND).signaled(true)
                        .addSge(mr, responses + (long) s * RESPONSE_BYTES, RESPONSE_BYTES);
            }
        }

        void postAll() {
            for (int s = 0; s < depth; s++) {
                post(s);
            }
        }

        private void post(int slot) {
            qp.postSend(pairs, 2 * slot, 2);
            outstanding++;
        }

        /** Keeps every slot busy for {@code nanos}; returns the pairs completed meanwhile. */
        long run(long nanos) {
            long completed = 0;
            long end = System.nanoTime() + nanos;
            // A bare spin, as perftest's: under TCG the PAUSE of onSpinWait costs more than the poll.
            while (System.nanoTime() < end) {
                int n = sendCq.poll(wcs);
                for (int i = 0; i < n; i++) {
                    wcs.requireSuccess(i);
                    outstanding--;
                    post((int) wcs.wrId(i));
                }
                completed += n;
            }
            return completed;
        }

        /** Waits up to {@code nanos} for the outstanding pairs, posting no more: the receiver may stop after this. */
        void drain(long nanos) {
            long end = System.nanoTime() + nanos;
            while (outstanding > 0) {
                if (System.nanoTime() > end) {
                    throw new IllegalStateException(outstanding + " WRITE + SEND pairs still outstanding after "
                            + nanos / 1_000_000 + " ms");
                }
                int n = sendCq.poll(wcs);
                for (int i = 0; i < n; i++) {
                    wcs.requireSuccess(i);
                }
                outstanding -= n;
            }
        }

        @Override
        public void close() {
            super.close();
            pairs.close();
        }
    }

    /** The host's side: the WRITEs land in its buffer; it takes the SENDs and posts their receives again. */
    private static final class Receiver extends LoopbackEnd {
        /** Where in the buffer the receives' buffers start, after the WRITEs' target. */
        private final long responses;
        private final ReceiveWorkRequests recvs = new ReceiveWorkRequests(RING, 1);
        volatile boolean stop;
        /** Why {@link #receiveUntilStopped} ended before {@link #stop}, or null: the sender's SENDs would wait for receives forever. */
        volatile RuntimeException failure;

        Receiver(DeviceContext ctx, int depth) {
            super(ctx, 4, RING, ctx.createCompletionChannel(), (long) depth * WRITE_BYTES + (long) RING * RESPONSE_BYTES, 64,
                    Access.LOCAL_WRITE, Access.REMOTE_WRITE);
            responses = (long) depth * WRITE_BYTES;
        }

        QueuePair createQp(CmId id) {
            qp = id.createQueuePair(pd, QpInitAttributes.reliableConnected(sendCq, recvCq).maxSendWr(4).maxRecvWr(RING)
                    .maxSendSge(1).maxRecvSge(1));
            for (int i = 0; i < RING; i++) {
                recvs.get(i).reset().wrId(i).addSge(mr, responses + (long) i * RESPONSE_BYTES, RESPONSE_BYTES);
            }
            qp.postReceive(recvs, RING);
            return qp;
        }

        /** The receiving thread: {@link #receive} until {@link #stop}, or until it fails. */
        void receiveUntilStopped() {
            try {
                receive();
            } catch (RuntimeException e) {
                failure = e;
            }
        }

        /**
         * Takes completions until {@link #stop}; sleeps on the channel when there are none. An RC
         * queue pair consumes its receives in the order posted, so the ones to post again are the
         * next {@code n} of the ring.
         */
        private void receive() {
            int next = 0;
            while (!stop) {
                int n = recvCq.poll(wcs);
                if (n == 0) {
                    recvCq.requestNotification(false);
                    n = recvCq.poll(wcs);  // a completion that came before the request raises no event
                }
                if (n == 0) {
                    if (recvChannel.awaitEvent(100) != null) {
                        recvCq.acknowledgeEvents(1);
                    }
                    continue;
                }
                for (int i = 0; i < n; i++) {
                    wcs.requireSuccess(i);
                }
                int first = Math.min(n, RING - next);
                qp.postReceive(recvs, next, first);
                if (first < n) {
                    qp.postReceive(recvs, 0, n - first);
                }
                next = (next + n) % RING;
            }
        }

        @Override
        public void close() {
            super.close();
            recvs.close();
        }
    }
}
