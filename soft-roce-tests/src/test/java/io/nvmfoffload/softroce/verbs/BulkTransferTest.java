package io.nvmfoffload.softroce.verbs;

import io.nvmfoffload.softroce.bed.InBed;
import io.nvmfoffload.softroce.verbs.Completions.Completion;
import io.nvmfoffload.verbs.Access;
import io.nvmfoffload.verbs.CompletionQueue;
import io.nvmfoffload.verbs.DeviceContext;
import io.nvmfoffload.verbs.MemoryRegion;
import io.nvmfoffload.verbs.ProtectionDomain;
import io.nvmfoffload.verbs.QpInitAttributes;
import io.nvmfoffload.verbs.QueuePair;
import io.nvmfoffload.verbs.ReceiveWorkRequests;
import io.nvmfoffload.verbs.SendWorkRequests;
import io.nvmfoffload.verbs.WcOpcode;
import io.nvmfoffload.verbs.WrOpcode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * 1 GiB from one endpoint's memory into the other's with RDMA WRITE, verified by CRC32C. The sender
 * fills one half of a double buffer while the other half is on the wire; the last write of each
 * round carries the round number as immediate data, which tells the receiver that the half is
 * complete (RC delivers in order); the receiver checksums it and returns a credit SEND so that the
 * sender may reuse that half. Sender and receiver run on two threads.
 */
@InBed
class BulkTransferTest {
    private static final long TOTAL = 1L << 30;
    private static final int HALF = 32 << 20;
    private static final int CHUNK = 1 << 20;
    private static final int ROUNDS = (int) (TOTAL / HALF);
    private static final int CHUNKS_PER_ROUND = HALF / CHUNK;
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(120);

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void oneGibibyteArrivesIntactByRdmaWrite() throws Exception {
        long[] sentCrc = new long[ROUNDS];
        long[] receivedCrc = new long[ROUNDS];
        ExecutorService receiverThread = Executors.newSingleThreadExecutor();
        try (Loopback lb = Loopback.listen(7479)) {
            DeviceContext ctx = lb.context();
            ProtectionDomain senderPd = lb.track(ctx.allocateProtectionDomain());
            ProtectionDomain receiverPd = lb.track(ctx.allocateProtectionDomain());
            CompletionQueue senderCq = lb.track(ctx.createCompletionQueue(256));
            CompletionQueue receiverCq = lb.track(ctx.createCompletionQueue(256));
            MemoryRegion source = lb.track(senderPd.registerMemory(lb.allocate(2L * HALF), Access.LOCAL_WRITE));
            MemoryRegion sink = lb.track(receiverPd.registerMemory(lb.allocate(2L * HALF), Access.LOCAL_WRITE, Access.REMOTE_WRITE));
            SendWorkRequests writes = lb.track(new SendWorkRequests(CHUNKS_PER_ROUND, 1));
            SendWorkRequests credits = lb.track(new SendWorkRequests(1, 1));
            ReceiveWorkRequests senderRecvs = lb.track(new ReceiveWorkRequests(4, 1));
            ReceiveWorkRequests receiverRecvs = lb.track(new ReceiveWorkRequests(4, 1));
            for (int i = 0; i < 4; i++) {
                senderRecvs.get(i).reset().wrId(i);
                receiverRecvs.get(i).reset().wrId(i);
            }
            Loopback.Connection c = lb.connect(
                    id -> {
                        QueuePair qp = id.createQueuePair(senderPd, QpInitAttributes.reliableConnected(senderCq, senderCq)
                                .maxSendWr(2 * CHUNKS_PER_ROUND + 8).maxRecvWr(8));
                        qp.postReceive(senderRecvs, 4);
                        return qp;
                    },
                    id -> {
                        QueuePair qp = id.createQueuePair(receiverPd, QpInitAttributes.reliableConnected(receiverCq, receiverCq)
                                .maxSendWr(8).maxRecvWr(8).maxInlineData(16));
                        qp.postReceive(receiverRecvs, 4);
                        return qp;
                    },
                    new byte[0], Buffers.remoteKey(sink));
            Buffers.Remote remote = Buffers.remote(c.clientEstablished().privateData());

            long start = System.nanoTime();
            CompletableFuture<Void> receiver = CompletableFuture.runAsync(
                    () -> receive(c.serverQp(), receiverCq, sink, receiverRecvs, credits, receivedCrc), receiverThread);
            int creditsInHand = 2;
            for (int round = 0; round < ROUNDS; round++) {
                if (creditsInHand == 0) {
                    creditsInHand += awaitCredit(c.clientQp(), senderCq, senderRecvs, round - 2);
                }
                creditsInHand--;
                MemorySegment half = source.segment().asSlice((long) (round % 2) * HALF, HALF);
                sentCrc[round] = fillAndChecksum(half, round);
                for (int k = 0; k < CHUNKS_PER_ROUND; k++) {
                    boolean last = k == CHUNKS_PER_ROUND - 1;
                    long offset = (long) (round % 2) * HALF + (long) k * CHUNK;
                    writes.get(k).reset().wrId(round * 1000L + k)
                            .opcode(last ? WrOpcode.RDMA_WRITE_WITH_IMM : WrOpcode.RDMA_WRITE).signaled(last)
                            .immediateData(round).remote(remote.address() + offset, remote.rkey()).addSge(source, offset, CHUNK);
                }
                c.clientQp().postSend(writes, CHUNKS_PER_ROUND);
            }
            while (creditsInHand < 2) {
                creditsInHand += awaitCredit(c.clientQp(), senderCq, senderRecvs, -1);
            }
            receiver.get(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            double seconds = (System.nanoTime() - start) / 1e9;

            System.out.printf("BULK: %d MiB in %.1f s = %.1f MB/s by RDMA WRITE over rxe0; CRC32C of all %d rounds match: %s%n",
                    TOTAL >> 20, seconds, TOTAL / seconds / 1e6, ROUNDS, java.util.Arrays.equals(sentCrc, receivedCrc));
            assertArrayEquals(sentCrc, receivedCrc, "per-round CRC32C, sender vs receiver");
        } finally {
            receiverThread.shutdownNow();
        }
    }

    /** Deterministic pseudo-random data per round, so that a misplaced or stale chunk changes the checksum. */
    private static long fillAndChecksum(MemorySegment half, int round) {
        SplittableRandom random = new SplittableRandom(0x5EED0000L + round);
        for (long off = 0; off < half.byteSize(); off += 8) {
            half.set(JAVA_LONG_UNALIGNED, off, random.nextLong());
        }
        CRC32C crc = new CRC32C();
        crc.update(half.asByteBuffer().order(ByteOrder.nativeOrder()));
        return crc.getValue();
    }

    /** Waits for the sender's signaled completions and one credit; returns 1. */
    private static int awaitCredit(QueuePair qp, CompletionQueue cq, ReceiveWorkRequests recvs, int expectedRound) {
        while (true) {
            Completion done = Completions.successful(Completions.take(cq, 1, STEP_TIMEOUT)).getFirst();
            if (done.opcode() == WcOpcode.RECV) {
                if (expectedRound >= 0) {
                    assertEquals(expectedRound, done.immediate(), "credits return in round order");
                }
                recvs.get((int) done.wrId()).reset().wrId(done.wrId());
                qp.postReceive(recvs, (int) done.wrId(), 1);
                return 1;
            }
            assertEquals(WcOpcode.RDMA_WRITE, done.opcode(), done.description());
        }
    }

    private static void receive(QueuePair qp, CompletionQueue cq, MemoryRegion sink, ReceiveWorkRequests recvs,
                                SendWorkRequests credits, long[] receivedCrc) {
        for (int round = 0; round < ROUNDS; round++) {
            Completion done = Completions.successful(Completions.take(cq, 1, STEP_TIMEOUT)).getFirst();
            if (done.opcode() == WcOpcode.SEND) {
                round--;
                continue;
            }
            assertEquals(WcOpcode.RECV_RDMA_WITH_IMM, done.opcode(), done.description());
            assertEquals(round, done.immediate(), "rounds arrive in order");
            CRC32C crc = new CRC32C();
            crc.update(sink.segment().asSlice((long) (round % 2) * HALF, HALF).asByteBuffer());
            receivedCrc[round] = crc.getValue();
            recvs.get((int) done.wrId()).reset().wrId(done.wrId());
            qp.postReceive(recvs, (int) done.wrId(), 1);
            credits.get(0).reset().wrId(round).opcode(WrOpcode.SEND_WITH_IMM).immediateData(round).signaled(true);
            qp.postSend(credits, 1);
        }
    }
}
