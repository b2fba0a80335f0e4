package io.nvmfoffload.offload;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A port's offloaded queues: their drains before the QP is freed, and the disconnect of a queue whose QP is in a fatal error. */
class OffloadedQueuesTest {
    private static final String NQN = "nqn.2024-01.io.nvmfoffload:test";
    private static final boolean WITH_EVENT = DeviceProfile.connectX5Class().capabilities().qpLastNvmeCqeReached();
    private static final boolean WITHOUT_EVENT = DeviceProfile.connectX5ClassWithoutLastCqe().capabilities().qpLastNvmeCqeReached();

    private final OffloadedQueues queues = new OffloadedQueues();
    private final List<String> disconnected = new ArrayList<>();
    private final AtomicInteger drains = new AtomicInteger();

    OffloadedQueuesTest() {
        queues.onFatal((qpNumber, why) -> disconnected.add(qpNumber + ": " + why));
    }

    @Test
    void aFatalErrorOnAnOffloadedQueuesQpDisconnectsThatQueueOnly() {
        queues.connected(17, NQN);
        queues.connected(18, NQN);
        assertEquals(NQN, queues.fatal(17, "RDMA READ failed"));
        assertEquals(List.of("17: RDMA READ failed"), disconnected);
        assertNull(queues.fatal(99, "another port's QP"), "not offloaded here: not ours to disconnect");
        assertEquals(1, disconnected.size());
    }

    @Test
    void aQueueAlreadyClosingIsNotDisconnectedAgain() {
        queues.connected(17, NQN);
        queues.closing(17, WITH_EVENT, drains::incrementAndGet);
        assertNull(queues.fatal(17, "flushed on the way out"));
        assertTrue(disconnected.isEmpty());
    }

    @Test
    void aClosingQueueWaitsForTheLastNvmeCqeAfterTellingTheDevice() {
        queues.connected(17, NQN);
        CompletableFuture<Void> done = queues.closing(17, WITH_EVENT, drains::incrementAndGet);
        assertEquals(1, drains.get());
        assertFalse(done.isDone(), "the device may still post to the QP");
        queues.lastCqeReached(17);
        assertTrue(done.isDone());
        assertEquals(0, queues.size());
    }

    @Test
    void onADeviceWithoutTheLastCqeEventAClosingQueueIsDoneOnceTheDrainReturned() {
        queues.connected(17, NQN);
        CompletableFuture<Void> done = queues.closing(17, WITHOUT_EVENT, drains::incrementAndGet);
        assertEquals(1, drains.get(), "the device is still told, and lets go of the QP in it");
        assertTrue(done.isDone(), "no event will come to wait for");
        assertEquals(0, queues.size());
    }

    @Test
    void theLastCqeMayComeBeforeTheDrainReturns() {
        queues.connected(17, NQN);
        assertTrue(queues.closing(17, WITH_EVENT, () -> queues.lastCqeReached(17)).isDone());
    }

    @Test
    void aQueueNeverOffloadedClosesAtOnceWithoutADrain() {
        assertTrue(queues.closing(5, WITH_EVENT, drains::incrementAndGet).isDone());
        assertEquals(0, drains.get());
    }

    @Test
    void aDrainTheDeviceRefusesFailsTheClosing() {
        queues.connected(17, NQN);
        CompletableFuture<Void> done = queues.closing(17, WITH_EVENT, () -> {
            throw new IllegalStateException("ENOENT");
        });
        assertTrue(done.isCompletedExceptionally(), "the QP is then left allocated rather than freed under the device");
    }
}
