package io.nvmfoffload.offload.emulated;

import io.nvmfoffload.offload.emulated.RecordingTransfers.Response;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The context counters the engine keeps as the vendor's {@code stat} reports them: the latency of
 * the last read and of the last write, the queue depth, and the capsules for unknown namespaces.
 * The flow reads a clock the test moves.
 */
class OffloadContextCountersTest extends OneBackendEngineTest {
    private final AtomicLong nanos = new AtomicLong();

    OffloadContextCountersTest() {
        f.flow.clock(nanos::get);
    }

    /** The backend completes its next command and the engine answers it; the response's SEND completes. */
    private void completeNext() {
        backend.takeAndComplete();
        f.flow.progress();
        f.sendCompleted(f.transfers.lastResponse().slot());
    }

    @Test
    void theLastReadAndWriteLatencyIsThatOfTheLastCommandIn100NanosecondUnits() {
        nanos.set(1_000);
        f.offer(qp, read(1, 1));
        nanos.set(4_500);
        completeNext();
        assertEquals(35, f.flow.lastReadLatency100ns(), "the first read is measured, not one in many");

        nanos.set(10_000);
        f.offer(qp, SpecCapsules.inCapsule(2, NSID, 1, 0, 512, 512));
        nanos.set(10_900);
        completeNext();
        assertEquals(9, f.flow.lastWriteLatency100ns());

        nanos.set(20_000);
        f.offer(qp, read(3, 1));
        nanos.set(20_200);
        completeNext();
        assertEquals(2, f.flow.lastReadLatency100ns(), "the last read's, not an earlier one's");
        assertEquals(9, f.flow.lastWriteLatency100ns(), "a read leaves the write latency alone");
    }

    @Test
    void aCommandHeldBackForASlotCountsItsWaitInItsLatency() {
        for (int cid = 1; cid <= 5; cid++) {
            nanos.set(cid * 1_000L);
            f.offer(qp, read(cid, 1));
        }
        nanos.set(100_000);
        for (int i = 0; i < 4; i++) {
            backend.takeAndComplete();
        }
        f.flow.progress();
        List.copyOf(f.transfers.responses).forEach(r -> f.sendCompleted(r.slot()));
        f.flow.progress();  // the held-back read takes a freed slot
        nanos.set(105_000);
        completeNext();
        assertEquals(5, f.transfers.lastResponse().cqe().cid());
        assertEquals((105_000 - 5_000) / 100, f.flow.lastReadLatency100ns(), "from its arrival, not from when it got a slot");
    }

    @Test
    void theQueueDepthCountsTheCommandsHeldBackForASlot() {
        for (int cid = 1; cid <= 6; cid++) {
            f.offer(qp, read(cid, 1));
        }
        assertEquals(4, f.flow.inFlight());
        assertEquals(6, f.flow.queueDepth(), "four in slots, two waiting for one");
        for (int i = 0; i < 4; i++) {
            completeNext();
        }
        f.flow.progress();
        assertEquals(2, f.flow.queueDepth());
    }

    @Test
    void aHeldBackCapsuleWhoseNamespaceWentIsCountedAsUnknownOnceWhenTheHostRetriesIt() {
        for (int cid = 1; cid <= 5; cid++) {
            f.offer(qp, read(cid, 1));
        }
        f.routes.unmap(backend.controller, NSID);
        for (int i = 0; i < 4; i++) {
            backend.takeAndComplete();
        }
        f.flow.progress();
        List.copyOf(f.transfers.responses).forEach(r -> f.sendCompleted(r.slot()));
        f.flow.progress();
        Response retry = f.transfers.lastResponse();
        assertEquals(5, retry.cqe().cid(), "answered with a status the host retries");
        assertEquals(0, f.classifier.unknownNamespaceCommands(), "it was for a known namespace when it arrived");
        f.sendCompleted(retry.slot());
        f.offer(qp, read(5, 1));
        assertEquals(1, f.classifier.unknownNamespaceCommands(), "the host's retry is the capsule the device did not know");
    }
}
