package io.nvmfoffload.offload.emulated;

import io.nvmfoffload.verbs.WcStatus;
import io.nvmfoffload.verbs.nvmf.BackendController;
import io.nvmfoffload.verbs.nvmf.IoQueueAttributes;
import io.nvmfoffload.verbs.nvmf.NamespaceMapping;
import io.nvmfoffload.verbs.nvmf.NvmfEventType;
import io.nvmfoffload.verbs.nvmf.OffloadOp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One offload context's engine parts, real except for the verbs: staging slots in native memory,
 * namespace routes, the classifier, the back-pressure ring and the command flow, with
 * {@link RecordingTransfers} for the QP and {@link FakeNvmeBackend}s for the backend devices.
 */
final class EngineFixture implements AutoCloseable {
    static final int PAGE = 4096;
    static final long MAX_IO = 16 * 1024;
    static final int IN_CAPSULE_BYTES = 8192;
    static final long TIMEOUT_NANOS = 1_000_000_000L;

    /** The events the flow raised. */
    static final class RecordingEvents implements EngineEvents {
        record Raised(NvmfEventType type, BackendController controller, String detail) {}

        final List<Raised> raised = new ArrayList<>();
        final List<QpAttachment> lastCqe = new ArrayList<>();
        final List<QpAttachment> fatal = new ArrayList<>();

        @Override
        public void raise(NvmfEventType type, BackendController controller, String detail) {
            raised.add(new Raised(type, controller, detail));
        }

        @Override
        public void qpFatal(QpAttachment att, String why) {
            fatal.add(att);
        }

        @Override
        public void lastCqeReached(QpAttachment att) {
            lastCqe.add(att);
        }
    }

    final Arena arena = Arena.ofConfined();
    final StagingSlots slots;
    final NamespaceRoutes routes = new NamespaceRoutes(1, 8, 0, Set.of(512, 4096));
    final BackendControllers controllers = new BackendControllers();
    final CapsuleClassifier classifier;
    final PendingCapsules pending;
    final RecordingTransfers transfers = new RecordingTransfers();
    final RecordingEvents events = new RecordingEvents();
    final OffloadCommandFlow flow;

    /** A context of {@code slotCount} slots of 16 KiB that offloads {@code ops}, rebuilding SQEs. */
    EngineFixture(int slotCount, Set<OffloadOp> ops) {
        this(slotCount, ops, false);
    }

    /** With {@code passthroughSqeRw}: read and write SQEs go to the backend as the host sent them. */
    EngineFixture(int slotCount, Set<OffloadOp> ops, boolean passthroughSqeRw) {
        MemorySegment staging = arena.allocate(slotCount * (MAX_IO + PAGE), PAGE);
        slots = new StagingSlots(staging, 0, MAX_IO, PAGE, arena);
        classifier = new CapsuleClassifier(routes, ops, MAX_IO);
        pending = new PendingCapsules(arena, 16, SpecCapsules.SQE + IN_CAPSULE_BYTES);
        flow = new OffloadCommandFlow(slots, routes, controllers, classifier, pending, transfers, events, true, passthroughSqeRw);
    }

    EngineFixture(int slotCount) {
        this(slotCount, EnumSet.allOf(OffloadOp.class));
    }

    /** A backend with {@code entries}-entry queues serving front-end {@code nsid} (512-byte blocks) as its nsid 1. */
    FakeNvmeBackend backend(int id, int entries, int nsid) {
        FakeNvmeBackend b = new FakeNvmeBackend(arena, id, entries, slots.count(), TIMEOUT_NANOS);
        controllers.add(b.controller);
        routes.map(b.controller, new NamespaceMapping(nsid, 512, 1));
        return b;
    }

    /** An I/O queue switched to offload after its Connect. */
    static QpAttachment queue(int qid, int entries, int sqHead) {
        return new QpAttachment(null, null, new IoQueueAttributes(qid, entries, sqHead));
    }

    /** Offers the capsule as the transport does: true if the engine took it. */
    boolean offer(QpAttachment att, ByteBuffer capsule) {
        MemorySegment received = SpecCapsules.received(arena, capsule);
        return flow.offer(att, received, 0, capsule.capacity());
    }

    /** The QP completes the response SEND of slot {@code slot}. */
    void sendCompleted(int slot) {
        flow.completion(HostTransfers.SEND_WR, slot, WcStatus.IBV_WC_SUCCESS, "");
    }

    /** Every slot is free and nothing is in flight. */
    boolean allSlotsFree() {
        return slots.freeCount() == slots.count() && flow.inFlight() == 0;
    }

    @Override
    public void close() {
        arena.close();
    }
}
