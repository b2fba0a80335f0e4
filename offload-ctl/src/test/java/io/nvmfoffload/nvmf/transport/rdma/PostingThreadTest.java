package io.nvmfoffload.nvmf.transport.rdma;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PostingThreadTest {

    @Test
    void runsHandedOffJobsInOrderOnItsOwnThread() throws Exception {
        List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(10_000);
        try (PostingThread t = new PostingThread("posting-test", 64, 100)) {
            Runnable[] jobs = new Runnable[64];
            for (int i = 0; i < 10_000; i++) {
                int n = i;
                Runnable job = () -> {
                    ran.add(n);
                    threads.add(Thread.currentThread().getName());
                    done.countDown();
                };
                jobs[i % 64] = job;
                while (!t.handOff(job)) {
                    Thread.onSpinWait();  // full: the producer's to retry or post itself
                }
            }
            assertTrue(done.await(30, TimeUnit.SECONDS));
        }
        for (int i = 0; i < ran.size(); i++) {
            assertEquals(i, ran.get(i));
        }
        assertEquals(Collections.singleton("posting-test"), new java.util.HashSet<>(threads));
    }

    @Test
    void aFullRingRefusesTheHandOff() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        try (PostingThread t = new PostingThread("posting-full", 2, 0)) {
            assertTrue(t.handOff(() -> {
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            assertTrue(started.await(10, TimeUnit.SECONDS));
            assertTrue(t.handOff(() -> { }));
            assertTrue(t.handOff(() -> { }));
            assertFalse(t.handOff(() -> { }), "capacity 2 and two waiting");
            assertEquals(2, t.waiting());
            release.countDown();
        }
    }

    @Test
    void parksWhenIdleAndWakesForTheNextJob() throws Exception {
        try (PostingThread t = new PostingThread("posting-park", 8, 10)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (t.awake() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertFalse(t.awake(), "idle after its spins");
            CountDownLatch ran = new CountDownLatch(1);
            assertTrue(t.handOff(ran::countDown));
            assertTrue(ran.await(5, TimeUnit.SECONDS), "woken by the hand-off");
        }
    }

    @Test
    void aFailingJobDoesNotStopTheThread() throws Exception {
        CountDownLatch after = new CountDownLatch(1);
        try (PostingThread t = new PostingThread("posting-fail", 8, 10)) {
            t.handOff(() -> {
                throw new IllegalStateException("injected");
            });
            t.handOff(after::countDown);
            assertTrue(after.await(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void closeRunsWhatWasHandedOffAndRefusesMore() {
        List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
        PostingThread t = new PostingThread("posting-close", 16, 0);
        for (int i = 0; i < 10; i++) {
            int n = i;
            t.handOff(() -> ran.add(n));
        }
        t.close();
        assertEquals(10, ran.size());
        assertFalse(t.handOff(() -> ran.add(99)));
    }

    @Test
    void onlyTheProducerHandsOff() throws Exception {
        try (PostingThread t = new PostingThread("posting-producer", 8, 10)) {
            assertTrue(t.claimProducer());
            var other = java.util.concurrent.CompletableFuture.supplyAsync(() -> t.handOff(() -> { }));
            assertFalse(other.get(5, TimeUnit.SECONDS), "another thread posts itself");
            var claim = java.util.concurrent.CompletableFuture.supplyAsync(t::claimProducer);
            assertFalse(claim.get(5, TimeUnit.SECONDS));
            assertTrue(t.handOff(() -> { }));
        }
    }

    @Test
    void capacityOutsideItsRangeIsRefusedWithTheName() {
        var e = assertThrows(IllegalArgumentException.class, () -> new PostingThread("posting-bad", 0, 0));
        assertTrue(e.getMessage().contains("posting-bad"), e.getMessage());
    }
}
