package io.nvmfoffload.nvmf.transport.rdma;

import io.nvmfoffload.verbs.SendWorkRequests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where a chain goes (the posts themselves need a device: the guest tests). */
class SendRouterTest {
    private static final Runnable NO_JOB = () -> { };
    private final SendWorkRequests wrs = new SendWorkRequests(2, 1);
    private final SendRouter<String> router = new SendRouter<>("test-post", 4, RdmaTransportOptions.DEFAULTS);
    private final SendBatches.Link<String> link = new SendBatches.Link<>("a");
    private final SendBatches.Batch<String> batch = new SendBatches.Batch<>(null);

    @BeforeEach
    void claim() {
        link.set(wrs, 0, 2);
        assertTrue(router.claimForPoller());
    }

    @AfterEach
    void close() {
        router.close();
        wrs.close();
    }

    @Test
    void thePollersSmallChainsWaitInTheirBatch() {
        assertFalse(router.hasBatched());
        assertTrue(router.handOffOrBatch(link, batch, 4096, NO_JOB));
        assertTrue(router.hasBatched());
    }

    @Test
    void anotherThreadsChainIsTheCallersToPost() throws InterruptedException {
        AtomicBoolean routed = new AtomicBoolean(true);
        Thread other = Thread.ofPlatform().start(() -> routed.set(router.handOffOrBatch(link, batch, 128 * 1024, NO_JOB)));
        other.join();
        assertFalse(routed.get(), "neither handed off nor batched");
        assertFalse(router.hasBatched());
    }

    @Test
    void aLargeChainOfThePollerGoesToThePostingThread() throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        assertTrue(router.handOffOrBatch(link, batch, RdmaTransportOptions.DEFAULTS.postingThreadMinBytes(), ran::countDown));
        assertTrue(ran.await(10, TimeUnit.SECONDS), "the posting thread ran the job");
        assertFalse(router.hasBatched(), "handed off, not batched");
    }

    @Test
    void withoutWorkRequestBatchingThePollersChainIsItsOwnToPost() {
        try (SendRouter<String> unbatched = new SendRouter<>("test-unbatched", 4, new RdmaTransportOptions(512, false, false, 0, true))) {
            assertTrue(unbatched.claimForPoller());
            assertFalse(unbatched.handOffOrBatch(link, batch, 128 * 1024, NO_JOB), "neither handed off nor batched");
            assertFalse(unbatched.hasBatched());
        }
    }

    @Test
    void withoutThePostingThreadALargeChainWaitsInItsBatch() {
        try (SendRouter<String> noThread = new SendRouter<>("test-no-thread", 4, new RdmaTransportOptions(512, false, false, 0, false))) {
            assertTrue(noThread.claimForPoller());
            assertTrue(noThread.handOffOrBatch(link, batch, 128 * 1024, NO_JOB));
            assertTrue(noThread.hasBatched());
        }
    }
}
