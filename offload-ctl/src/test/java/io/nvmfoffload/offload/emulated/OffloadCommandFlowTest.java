package io.nvmfoffload.offload.emulated;

import io.nvmfoffload.nvme.spec.NvmeStatus;
import io.nvmfoffload.nvme.spec.SubmissionQueueEntry;
import io.nvmfoffload.offload.emulated.RecordingTransfers.Cqe;
import io.nvmfoffload.offload.emulated.RecordingTransfers.Response;
import io.nvmfoffload.verbs.WcStatus;
import io.nvmfoffload.verbs.nvmf.NvmfEventType;
import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.stream.IntStream;

import static io.nvmfoffload.offload.emulated.SpecCapsules.KEYED_ADDRESS;
import static io.nvmfoffload.offload.emulated.SpecCapsules.KEYED_INVALIDATE;
import static io.nvmfoffload.offload.emulated.SpecCapsules.READ;
import static io.nvmfoffload.offload.emulated.SpecCapsules.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command flow on host memory: capsules in spec layout, a real backend controller driving a
 * {@link FakeNvmeBackend}, and {@link RecordingTransfers} in place of the QP. Each path ends with
 * every slot free and nothing in flight.
 */
class OffloadCommandFlowTest extends OneBackendEngineTest {
    /** The status word of a retryable Namespace Not Ready (SCT 0, SC 82h, DNR clear). */
    private static final int NOT_READY_SC = 0x82;

    /** Runs a read through the engine and the backend, and completes its SEND: its response. */
    private Response serveRead(QpAttachment att, int cid) {
        assertTrue(f.offer(att, read(cid, 1)));
        backend.takeAndComplete();
        f.flow.progress();
        Response r = f.transfers.lastResponse();
        f.sendCompleted(r.slot());
        return r;
    }

    @Test
    void aKeyedWriteIsReadFromTheHostRunAtTheBackendFromItsSlotAndAnsweredOnce() {
        assertTrue(f.offer(qp, keyedWrite(7, 8)));
        assertEquals(1, f.transfers.reads.size(), "write data comes by RDMA READ first");
        assertEquals(0, backend.submitted(), "nothing goes to the backend before the data is in the slot");
        int slot = f.transfers.reads.getFirst();
        OffloadedCommand cmd = f.slots.get(slot);
        assertEquals(OffloadCommandState.READING_HOST_DATA, cmd.state);

        f.flow.completion(HostTransfers.READ_WR, slot, WcStatus.IBV_WC_SUCCESS, "");
        SubmissionQueueEntry sqe = backend.take();
        assertEquals(WRITE, sqe.opcode());
        assertEquals(slot, sqe.cid(), "the slot is the backend CID");
        assertEquals(1, sqe.nsid(), "the backend's nsid");
        assertEquals(cmd.dataAddress, sqe.prp1(), "PRP1 points into the staging slot");
        assertEquals(8, (sqe.cdw12() & 0xFFFF) + 1, "NLB passes through");
        backend.complete(sqe.cid(), 0);
        f.flow.progress();

        Response r = f.transfers.lastResponse();
        assertEquals(slot, r.slot());
        assertEquals(0, r.dataBytes(), "a write sends no data back");
        assertEquals(7, r.cqe().cid(), "the host's CID");
        assertEquals(0, r.cqe().statusWord());
        f.sendCompleted(slot);
        assertEquals(1, f.routes.get(NSID).writeCommands);
        assertEquals(8, f.routes.get(NSID).writeBlocks);
        assertEquals(1, f.transfers.responses.size());
        assertTrue(f.allSlotsFree());
        assertEquals(0, qp.outstanding);
    }

    @Test
    void anInCapsuleWriteIsCopiedIntoItsSlotWithoutAnRdmaRead() {
        ByteBuffer capsule = SpecCapsules.inCapsule(3, NSID, 2, 256, 1024, 2048);
        for (int i = 0; i < 1024; i++) {
            capsule.put(SpecCapsules.SQE + 256 + i, (byte) (i * 7));
        }
        assertTrue(f.offer(qp, capsule));
        assertTrue(f.transfers.reads.isEmpty());
        SubmissionQueueEntry sqe = backend.take();
        OffloadedCommand cmd = f.slots.get(sqe.cid());
        for (int i = 0; i < 1024; i++) {
            assertEquals((byte) (i * 7), cmd.data.get(ValueLayout.JAVA_BYTE, i), "byte " + i);
        }
        backend.complete(sqe.cid(), 0);
        f.flow.progress();
        f.sendCompleted(sqe.cid());
        assertEquals(1, f.routes.get(NSID).inlineWriteCommands);
        assertTrue(f.allSlotsFree());
    }

    @Test
    void readDataGoesBackBeforeTheResponseWhichInvalidatesTheHostsKeyWhenAsked() {
        assertTrue(f.offer(qp, SpecCapsules.keyed(READ, 4, NSID, 4, 2048, 0x5000, 0xABCD, KEYED_INVALIDATE)));
        backend.takeAndComplete();
        f.flow.progress();
        Response r = f.transfers.lastResponse();
        assertEquals(2048, r.dataBytes(), "RDMA WRITE of the read data chained before the SEND");
        assertTrue(r.invalidate(), "Send with Invalidate");
        assertEquals(0xABCD, r.remoteKey());
        assertEquals(1, f.flow.remoteInvalidations());
        f.sendCompleted(r.slot());
        assertEquals(1, f.routes.get(NSID).readCommands);
        assertEquals(4, f.routes.get(NSID).readBlocks);
        assertTrue(f.allSlotsFree());
    }

    @Test
    void completionsCarryTheQueuesSqidAndAnSqHeadThatWrapsAtTheQueueSize() {
        // qid 3 with four entries; its Connect took entry 0, so the head is 1 when offload starts
        QpAttachment q3 = EngineFixture.queue(3, 4, 1);
        int[] expectedHeads = {2, 3, 0, 1, 2};
        for (int i = 0; i < expectedHeads.length; i++) {
            Cqe cqe = serveRead(q3, 20 + i).cqe();
            assertEquals(3, cqe.sqid(), "SQID of the queue the command came on");
            assertEquals(expectedHeads[i], cqe.sqhd(), "SQHD after " + (i + 1) + " commands");
        }
        // a capsule software serves still took an SQ entry: the next head counts it
        assertFalse(f.offer(q3, SpecCapsules.keyed(READ, 40, 9, 1, 512, 0x1000, 1, KEYED_ADDRESS)));
        assertEquals(0, serveRead(q3, 41).cqe().sqhd());
        // another queue on the same context answers with its own identifier and head
        QpAttachment q1 = EngineFixture.queue(1, 32, 1);
        Cqe other = serveRead(q1, 50).cqe();
        assertEquals(1, other.sqid());
        assertEquals(2, other.sqhd());
        assertTrue(f.allSlotsFree());
    }

    @Test
    void aFailedRdmaReadEndsTheCommandWithoutAnAnswerAndFreesItsSlot() {
        assertTrue(f.offer(qp, keyedWrite(1, 1)));
        f.flow.completion(HostTransfers.READ_WR, f.transfers.reads.getFirst(), WcStatus.IBV_WC_REM_ACCESS_ERR,
                "remote access error");
        assertTrue(f.transfers.responses.isEmpty(), "the QP is in error: nothing to answer on");
        assertEquals(0, backend.submitted());
        assertEquals(1, f.routes.get(NSID).errorCommands);
        assertTrue(f.allSlotsFree());
        assertEquals(0, qp.outstanding);
    }

    @Test
    void postsTheQpRefusesAtOnceFreeTheirSlots() {
        f.transfers.refuseNext = 1;
        assertTrue(f.offer(qp, keyedWrite(1, 1)), "taken, then refused by the QP");
        assertTrue(f.allSlotsFree(), "a refused RDMA READ");
        assertTrue(f.offer(qp, read(2, 1)));
        backend.takeAndComplete();
        f.transfers.refuseNext = 1;
        f.flow.progress();
        assertTrue(f.transfers.responses.isEmpty());
        assertTrue(f.allSlotsFree(), "a refused response");
        assertEquals(0, qp.outstanding);
    }

    @Test
    void postsRefusedWhenTheBatchIsFlushedFreeTheirSlots() {
        f.transfers.batching = true;
        f.transfers.refuseBatch = true;
        assertTrue(f.offer(qp, read(1, 1)));
        assertTrue(f.offer(qp, read(2, 1)));
        backend.takeAndComplete();
        backend.takeAndComplete();
        f.flow.progress();
        assertTrue(f.flow.hasBatchedPosts());
        f.flow.flushBatches();
        assertFalse(f.flow.hasBatchedPosts());
        assertTrue(f.allSlotsFree());
        assertEquals(0, qp.outstanding);
    }

    @Test
    void withEverySlotBusyCapsulesWaitAndAreServedInOrderOnceSlotsFree() {
        for (int cid = 1; cid <= 6; cid++) {
            assertTrue(f.offer(qp, read(cid, 1)), "cid " + cid);
        }
        assertEquals(2, f.pending.count(), "four slots, two capsules held back");
        assertEquals(0, f.slots.freeCount());
        for (int i = 0; i < 4; i++) {
            backend.takeAndComplete();
        }
        f.flow.progress();
        assertEquals(4, f.transfers.responses.size());
        for (Response r : List.copyOf(f.transfers.responses)) {
            f.sendCompleted(r.slot());
        }
        f.flow.progress();
        assertEquals(0, f.pending.count(), "the freed slots took the held-back capsules");
        backend.takeAndComplete();
        backend.takeAndComplete();
        f.flow.progress();
        List<Integer> cids = f.transfers.responses.stream().map(r -> r.cqe().cid()).toList();
        assertEquals(List.of(1, 2, 3, 4, 5, 6), cids, "answered in arrival order");
        for (Response r : f.transfers.responses.subList(4, 6)) {
            f.sendCompleted(r.slot());
        }
        assertTrue(f.allSlotsFree());
    }

    @Test
    void aHeldBackCapsuleWhoseNamespaceWentIsAnsweredWithARetryableStatus() {
        for (int cid = 1; cid <= 5; cid++) {
            assertTrue(f.offer(qp, read(cid, 1)));
        }
        f.routes.unmap(backend.controller, NSID);
        for (int i = 0; i < 4; i++) {
            backend.takeAndComplete();
        }
        f.flow.progress();
        f.transfers.responses.forEach(r -> f.sendCompleted(r.slot()));
        f.flow.progress();
        Response retry = f.transfers.lastResponse();
        assertEquals(5, retry.cqe().cid());
        assertEquals(NOT_READY_SC, retry.cqe().sc());
        assertFalse(retry.cqe().dnr(), "the host retries, and the retry finds the software path");
        assertEquals(0, retry.dataBytes());
        f.sendCompleted(retry.slot());
        assertTrue(f.allSlotsFree());
    }

    @Test
    void aHeldBackCapsuleOfADrainingQpIsDroppedWithoutASlot() {
        for (int cid = 1; cid <= 5; cid++) {
            assertTrue(f.offer(qp, read(cid, 1)));
        }
        qp.draining = true;
        for (int i = 0; i < 4; i++) {
            backend.takeAndComplete();
        }
        f.flow.progress();
        assertEquals(4, f.transfers.responses.size());
        f.transfers.responses.forEach(r -> f.sendCompleted(r.slot()));
        assertEquals(List.of(qp), f.events.lastCqe, "the last CQE is reached once the four answered commands are over");
        f.flow.progress();
        assertEquals(0, f.pending.count());
        assertEquals(4, f.transfers.responses.size(), "the held-back capsule is dropped, not answered");
        assertTrue(f.allSlotsFree());
    }

    @Test
    void aFullBackendSqHoldsCommandsUntilAnEntryIsFree() {
        try (EngineFixture small = new EngineFixture(8)) {
            FakeNvmeBackend shallow = small.backend(1, 4, NSID);  // one ring entry stays empty: three in flight
            for (int cid = 1; cid <= 5; cid++) {
                assertTrue(small.offer(qp, read(cid, 1)));
            }
            assertEquals(3, shallow.submitted());
            long waiting = IntStream.range(0, small.slots.count())
                    .filter(i -> small.slots.get(i).state == OffloadCommandState.WAITING_FOR_BACKEND).count();
            assertEquals(2, waiting);
            for (int done = 0; done < 5; done++) {
                shallow.takeAndComplete();
                small.flow.progress();
            }
            assertEquals(5, small.transfers.responses.size());
            small.transfers.responses.forEach(r -> small.sendCompleted(r.slot()));
            assertTrue(small.allSlotsFree());
        }
    }

    /** The control path releases the controller (ibv_srq_remove_nvme_ctrl), as EmulatedNvmfSrq does. */
    private static void remove(EngineFixture fixture, FakeNvmeBackend b) {
        b.controller.moveTo(EmulatedBackendController.State.CLOSED);
        fixture.controllers.remove(b.controller);
        fixture.flow.releaseQuarantined();
    }

    @Test
    void aPciErrorAnswersTheBackendsCommandsAndQuarantinesTheirSlotsUntilItsQueuesAreDestroyed() {
        assertTrue(f.offer(qp, read(1, 1)));
        assertTrue(f.offer(qp, read(2, 1)));
        backend.linkDown();
        f.flow.watchdog().check(1);
        assertEquals(NvmfEventType.NVME_PCI_ERR, f.events.raised.getFirst().type());
        assertEquals(EmulatedBackendController.State.FAILED, backend.controller.state());
        assertEquals(2, f.transfers.responses.size());
        for (Response r : f.transfers.responses) {
            assertEquals(NOT_READY_SC, r.cqe().sc());
            assertFalse(r.cqe().dnr());
            f.sendCompleted(r.slot());
        }
        assertEquals(2, f.slots.count() - f.slots.freeCount(), "the device may still write those slots");
        assertEquals(0, f.flow.inFlight());
        assertEquals(0, qp.outstanding);
        assertEquals(2, f.routes.get(NSID).backendErrorCommands);
        // released after the PCI error without destroying its queues: a device that comes back could still write
        remove(f, backend);
        assertEquals(2, f.flow.quarantined());
        assertEquals(2, f.slots.freeCount(), "released, the controller's slots are still not reusable");
        f.flow.readyToSleep();  // the watchdog's next check gives back what became safe
        f.flow.progress();
        assertEquals(2, f.flow.quarantined());
        backend.destroyQueues();
        f.flow.readyToSleep();
        f.flow.progress();
        assertEquals(0, f.flow.quarantined());
        assertTrue(f.allSlotsFree());
    }

    @Test
    void slotsOfABackendWhoseQueuesAreAlreadyDestroyedReturnWhenItIsReleased() {
        assertTrue(f.offer(qp, read(1, 1)));
        backend.linkDown();
        f.flow.watchdog().check(1);
        f.sendCompleted(f.transfers.lastResponse().slot());
        assertEquals(1, f.flow.quarantined());
        backend.destroyQueues();
        remove(f, backend);
        assertTrue(f.allSlotsFree());
    }

    @Test
    void aPciErrorAlsoAnswersTheCommandsWaitingForAnSqEntryAndFreesTheirSlotsAtOnce() {
        try (EngineFixture small = new EngineFixture(8)) {
            FakeNvmeBackend shallow = small.backend(1, 4, NSID);
            for (int cid = 1; cid <= 5; cid++) {
                assertTrue(small.offer(qp, read(cid, 1)));
            }
            shallow.linkDown();
            small.flow.watchdog().check(1);
            assertEquals(5, small.transfers.responses.size(), "three at the backend, two waiting: all answered");
            small.transfers.responses.forEach(r -> small.sendCompleted(r.slot()));
            assertEquals(3, small.slots.count() - small.slots.freeCount(), "only the three the device held stay quarantined");
            small.flow.progress();
            assertEquals(5, small.transfers.responses.size(), "a failed backend is not reaped, nothing is answered twice");
            shallow.destroyQueues();
            remove(small, shallow);
            assertTrue(small.allSlotsFree());
            assertEquals(0, qp.outstanding);
        }
    }

    @Test
    void aTimeoutAnswersTheCommandAndRaisesNvmeTimeout() {
        assertTrue(f.offer(qp, read(1, 1)));
        f.flow.watchdog().check(1);
        f.flow.watchdog().check(2 + EngineFixture.TIMEOUT_NANOS);
        assertEquals(NvmfEventType.NVME_TIMEOUT, f.events.raised.getFirst().type());
        Response r = f.transfers.lastResponse();
        assertEquals(NOT_READY_SC, r.cqe().sc());
        f.sendCompleted(r.slot());
        remove(f, backend);
        quarantinedUntilTheQueuesAreDestroyed(1, "the timed-out command may still complete into its slot");
    }

    /** {@code count} slots stay out of use until the backend's queues are destroyed, then all are free. */
    private void quarantinedUntilTheQueuesAreDestroyed(int count, String why) {
        assertEquals(count, f.flow.quarantined(), why);
        backend.destroyQueues();
        f.flow.releaseQuarantined();
        assertTrue(f.allSlotsFree());
    }

    @Test
    void aControllerReleasedWithCommandsAtItsBackendKeepsTheirSlotsUntilItsQueuesAreDestroyed() {
        assertTrue(f.offer(qp, read(1, 1)));
        f.flow.answerCommandsOf(backend.controller);
        remove(f, backend);
        f.sendCompleted(f.transfers.lastResponse().slot());
        quarantinedUntilTheQueuesAreDestroyed(1, "a healthy backend will still complete the read into the slot");
    }

    @Test
    void aControllerReleasedWhileItsDataIsReadAnswersTheCommandOnceTheReadLands() {
        assertTrue(f.offer(qp, keyedWrite(1, 1)));
        f.flow.answerCommandsOf(backend.controller);
        remove(f, backend);
        f.flow.completion(HostTransfers.READ_WR, f.transfers.reads.getFirst(), WcStatus.IBV_WC_SUCCESS, "");
        Response r = f.transfers.lastResponse();
        assertEquals(NOT_READY_SC, r.cqe().sc());
        assertEquals(0, backend.submitted());
        f.sendCompleted(r.slot());
        assertTrue(f.allSlotsFree());
    }

    @Test
    void aCompletionForACidTheBackendWasNotRunningIsIgnored() {
        assertTrue(f.offer(qp, read(1, 1)));
        SubmissionQueueEntry sqe = backend.take();
        backend.complete(3, 0);       // a slot that is free
        backend.complete(0xFFFF, 0);  // no slot at all
        f.flow.progress();
        assertTrue(f.transfers.responses.isEmpty());
        backend.complete(sqe.cid(), 0);
        f.flow.progress();
        assertEquals(1, f.transfers.responses.size());
        f.sendCompleted(f.transfers.lastResponse().slot());
        assertTrue(f.allSlotsFree());
    }

    @Test
    void aBackendErrorIsPassedToTheHostAndCounted() {
        assertTrue(f.offer(qp, read(1, 1)));
        SubmissionQueueEntry sqe = backend.take();
        int lbaOutOfRange = NvmeStatus.LBA_OUT_OF_RANGE.field(true);
        backend.complete(sqe.cid(), lbaOutOfRange);
        f.flow.progress();
        Response r = f.transfers.lastResponse();
        assertEquals(0x80, r.cqe().sc(), "LBA Out of Range");
        assertTrue(r.cqe().dnr());
        assertEquals(0, r.dataBytes(), "no data for a failed read");
        assertEquals(1, f.routes.get(NSID).backendErrorCommands);
        f.sendCompleted(r.slot());
        assertTrue(f.allSlotsFree());
    }
}
