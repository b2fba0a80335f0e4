package io.nvmfoffload.offload.emulated;

import io.nvmfoffload.nvme.spec.CompletionQueueEntry;
import io.nvmfoffload.nvme.spec.SubmissionQueueEntry;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The device side of a backend NVMe I/O queue pair, for host tests: its SQ and CQ rings, doorbells
 * and CSTS in native memory, and a device that takes SQEs up to the SQ tail doorbell and posts CQEs
 * with the phase tag when the test says so. The engine's side is a real {@link EmulatedBackendController}.
 */
final class FakeNvmeBackend {
    final int entries;
    final MemorySegment sq;
    final MemorySegment cq;
    final MemorySegment sqTailDoorbell;
    final MemorySegment cqHeadDoorbell;
    final MemorySegment csts;
    final EmulatedBackendController controller;
    private int sqHead;
    private int cqTail;
    private boolean phase = true;
    private boolean queuesDestroyed;

    FakeNvmeBackend(Arena arena, int id, int entries, int slots, long timeoutNanos) {
        this.entries = entries;
        sq = arena.allocate((long) entries * SubmissionQueueEntry.SIZE, 4096);
        cq = arena.allocate((long) entries * CompletionQueueEntry.SIZE, 4096);
        sqTailDoorbell = arena.allocate(4, 4);
        cqHeadDoorbell = arena.allocate(4, 4);
        csts = arena.allocate(4, 4);
        csts.set(ValueLayout.JAVA_INT, 0, 1);  // RDY
        controller = new EmulatedBackendController(id, null, null,
                new EmulatedBackendController.Rings(sq, cq, sqTailDoorbell, cqHeadDoorbell, csts, 0, 0, () -> queuesDestroyed),
                timeoutNanos, slots);
    }

    /** SQEs the engine rang in that the device has not taken. */
    int submitted() {
        int tail = sqTailDoorbell.get(ValueLayout.JAVA_INT, 0);
        return (tail - sqHead + entries) % entries;
    }

    /** Takes the next SQE (a view of its ring entry). */
    SubmissionQueueEntry take() {
        if (submitted() == 0) {
            throw new IllegalStateException("no SQE was rung in");
        }
        SubmissionQueueEntry sqe = new SubmissionQueueEntry(sq, (long) sqHead * SubmissionQueueEntry.SIZE);
        sqHead = sqHead + 1 == entries ? 0 : sqHead + 1;
        return sqe;
    }

    /** Posts a CQE for {@code cid} with {@code status} (the status field without the phase). */
    void complete(int cid, int status) {
        new CompletionQueueEntry(cq, (long) cqTail * CompletionQueueEntry.SIZE).post(0, 0, sqHead, 1, cid, status, phase);
        cqTail = cqTail + 1 == entries ? 0 : cqTail + 1;
        if (cqTail == 0) {
            phase = !phase;
        }
    }

    /** Takes the next SQE and completes it successfully; returns it. */
    SubmissionQueueEntry takeAndComplete() {
        SubmissionQueueEntry sqe = take();
        complete(sqe.cid(), 0);
        return sqe;
    }

    /** The PCIe link went down: register reads return all ones. */
    void linkDown() {
        csts.set(ValueLayout.JAVA_INT, 0, -1);
    }

    /** The software destroyed the queue pair (deregistered its rings): the device writes nothing more for it. */
    void destroyQueues() {
        queuesDestroyed = true;
    }

    /** CSTS.CFS: the controller's fatal status. */
    void fatalStatus() {
        csts.set(ValueLayout.JAVA_INT, 0, 1 | 1 << 1);
    }
}
