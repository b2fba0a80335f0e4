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
 * 1 GiB from one endpoint's memory into the other's with RDMA WRITE, verified by CRC32C. The buffers
 * have four 16 MiB slots: the sender fills and checksums one while others are on the wire or being
 * checked. The last write of each round carries the round number as immediate data, telling the
 * receiver that the slot is complete (RC delivers in order); the receiver checksums it and returns
 * a credit SEND so that the sender may reuse the slot. Sender and receiver run on two threads.
 */
@InBed
class BulkTransferTest {
    private static final long TOTAL = 1L << 30;
    private static final int SLOTS = 4;
    private static final int SLOT = 16 << 20;
    private static final int CHUNK = 1 << 20;
    private static final int ROUNDS = (int) (TOTAL / SLOT);
    private static final int CHUNKS_PER_ROUND = SLOT / CHUNK;
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
            MemoryRegion source = lb.track(senderPd.registerMemory(lb.allocate((long) SLOTS * SLOT), Access.LOCAL_WRITE));
            MemoryRegion sink = lb.track(receiverPd.registerMemory(lb.allocate((long) SLOTS * SLOT), Access.LOCAL_WRITE, Access.REMOTE_WRITE));
            SendWorkRequests writes = lb.track(new SendWorkRequests(CHUNKS_PER_ROUND, 1));
            SendWorkRequests credits = lb.track(new SendWorkRequests(1, 1));
            ReceiveWorkRequests senderRecvs = lb.track(new ReceiveWorkRequests(SLOTS + 2, 1));
            ReceiveWorkRequests receiverRecvs = lb.track(new ReceiveWorkRequests(SLOTS + 2, 1));
            for (int i = 0; i < SLOTS + 2; i++) {
                senderRecvs.get(i).reset().wrId(i);
                receiverRecvs.get(i).reset().wrId(i);
            }
            Loopback.Connection c = lb.connect(
                    id -> {
                        QueuePair qp = id.createQueuePair(senderPd, QpInitAttributes.reliableConnected(senderCq, senderCq)
                                .maxSendWr(SLOTS * CHUNKS_PER_ROUND + 8).maxRecvWr(8));
                        qp.postReceive(senderRecvs, SLOTS + 2);
                        return qp;
                    },
                    id -> {
                        QueuePair qp = id.createQueuePair(receiverPd, QpInitAttributes.reliableConnected(receiverCq, receiverCq)
                                .maxSendWr(SLOTS + 4).maxRecvWr(SLOTS + 4).maxInlineData(16));
                        qp.postReceive(receiverRecvs, SLOTS + 2);
                        return qp;
                    },
                    new byte[0], Buffers.remoteKey(sink));
            Buffers.Remote remote = Buffers.remote(c.clientEstablished().privateData());

            MemorySegment pattern = randomPattern(lb);
            long start = System.nanoTime();
            CompletableFuture<Void> receiver = CompletableFuture.runAsync(
                    () -> receive(c.serverQp(), receiverCq, sink, receiverRecvs, credits, receivedCrc), receiverThread);
            int creditsInHand = SLOTS;
            for (int round = 0; round < ROUNDS; round++) {
                if (creditsInHand == 0) {
                    long t0 = System.nanoTime();
                    creditsInHand += awaitCredit(c.clientQp(), senderCq, senderRecvs, round - SLOTS);
                    TIMES[3] += System.nanoTime() - t0;
                }
                creditsInHand--;
                MemorySegment slot = source.segment().asSlice((long) (round % SLOTS) * SLOT, SLOT);
                sentCrc[round] = fillAndChecksum(slot, pattern, round);
                for (int k = 0; k < CHUNKS_PER_ROUND; k++) {
                    boolean last = k == CHUNKS_PER_ROUND - 1;
                    long offset = (long) (round % SLOTS) * SLOT + (long) k * CHUNK;
                    writes.get(k).reset().wrId(round * 1000L + k)
                            .opcode(last ? WrOpcode.RDMA_WRITE_WITH_IMM : WrOpcode.RDMA_WRITE).signaled(last)
                            .immediateData(round).remote(remote.address() + offset, remote.rkey()).addSge(source, offset, CHUNK);
                }
                c.clientQp().postSend(writes, CHUNKS_PER_ROUND);
            }
            while (creditsInHand < SLOTS) {
                creditsInHand += awaitCredit(c.clientQp(), senderCq, senderRecvs, -1);
            }
            receiver.get(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            double seconds = (System.nanoTime() - start) / 1e9;

            System.out.printf("BULK: %d MiB in %.1f s = %.1f MB/s by RDMA WRITE over rxe0; CRC32C of all %d rounds match: %s%n",
                    TOTAL >> 20, seconds, TOTAL / seconds / 1e6, ROUNDS, java.util.Arrays.equals(sentCrc, receivedCrc));
            System.out.printf("BULK times: fill %.1f s, sender crc %.1f s, receiver crc %.1f s, credit wait %.1f s%n",
                    TIMES[0] / 1e9, TIMES[1] / 1e9, TIMES[2] / 1e9, TIMES[3] / 1e9);
            assertArrayEquals(sentCrc, receivedCrc, "per-round CRC32C, sender vs receiver");
        } finally {
            receiverThread.shutdownNow();
        }
    }

    static final long[] TIMES = new long[4];

    /**
     * Each 1 MiB chunk is a window of a 2 MiB random pattern starting at an offset that depends on
     * the round and chunk, stamped with both numbers: a chunk that is lost, stale or misplaced changes
     * the checksum, and filling costs a memcpy instead of generating 1 GiB of random numbers (which
     * took over a minute in the emulated guest).
     */
    private static long fillAndChecksum(MemorySegment slot, MemorySegment pattern, int round) {
        long t0 = System.nanoTime();
        for (int k = 0; k < CHUNKS_PER_ROUND; k++) {
            long window = (round * 7919L + k * 104729L) % (pattern.byteSize() - CHUNK) & ~7L;
            MemorySegment.copy(pattern, window, slot, (long) k * CHUNK, CHUNK);
            slot.set(JAVA_LONG_UNALIGNED, (long) k * CHUNK, ((long) round << 32) | k);
        }
        TIMES[0] += System.nanoTime() - t0;
        t0 = System.nanoTime();
        CRC32C crc = new CRC32C();
        crc.update(slot.asByteBuffer().order(ByteOrder.nativeOrder()));
        TIMES[1] += System.nanoTime() - t0;
        return crc.getValue();
    }

    private static MemorySegment randomPattern(Loopback lb) {
        MemorySegment pattern = lb.allocate(2L * CHUNK);
        SplittableRandom random = new SplittableRandom(0x5EED);
        for (long off = 0; off < pattern.byteSize(); off += 8) {
            pattern.set(JAVA_LONG_UNALIGNED, off, random.nextLong());
        }
        return pattern;
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
            long t0 = System.nanoTime();
            CRC32C crc = new CRC32C();
            crc.update(sink.segment().asSlice((long) (round % SLOTS) * SLOT, SLOT).asByteBuffer());
            receivedCrc[round] = crc.getValue();
            TIMES[2] += System.nanoTime() - t0;
            recvs.get((int) done.wrId()).reset().wrId(done.wrId());
            qp.postReceive(recvs, (int) done.wrId(), 1);
            credits.get(0).reset().wrId(round).opcode(WrOpcode.SEND_WITH_IMM).immediateData(round).signaled(true);
            qp.postSend(credits, 1);
        }
    }
}
