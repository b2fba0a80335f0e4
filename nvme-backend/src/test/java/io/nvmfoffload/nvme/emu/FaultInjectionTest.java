package io.nvmfoffload.nvme.emu;

import io.nvmfoffload.nvme.driver.HostQueuePair;
import io.nvmfoffload.nvme.spec.CompletionQueueEntry;
import io.nvmfoffload.nvme.spec.ControllerRegisters;
import io.nvmfoffload.nvme.spec.NvmOpcode;
import io.nvmfoffload.nvme.spec.SubmissionQueueEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FaultInjectionTest {
    private final EmuFixture f = new EmuFixture();
    private final HostQueuePair qp = f.host.createIoQueuePair(1, 8);

    @AfterEach
    void close() {
        f.close();
    }

    private void submit(int opcode, int cid) {
        SubmissionQueueEntry s = qp.nextSubmission();
        f.readWrite(s, opcode, cid, 1, 0);
        s.cid(cid);
        qp.submit();
    }

    @Test
    void fatalErrorSetsCfsAndStopsProcessingUntilReset() {
        f.ctrl.injectFatalError("PCIe completer abort");
        ControllerRegisters r = f.ctrl.registers();
        assertTrue(ControllerRegisters.cstsCfs(r.csts()));
        submit(NvmOpcode.WRITE, 1);
        for (int i = 0; i < 5; i++) {
            assertEquals(0, f.ctrl.poll());
        }
        assertNull(qp.peekCompletion(), "a controller in fatal status completes nothing");
        assertTrue(f.ctrl.fatalReason().contains("PCIe completer abort"));
        // Recovery as a host driver does it: reset, enable, recreate queues.
        f.host.disable();
        assertTrue(!ControllerRegisters.cstsCfs(r.csts()));
        f.host.enable(8);
        HostQueuePair fresh = f.host.createIoQueuePair(1, 8);
        assertTrue(f.write(fresh, 0, 1, 0).isSuccess());
        qp.close();
    }

    @Test
    void droppedCommandsNeverCompleteButLaterOnesDo() {
        f.ctrl.dropCompletions(1);
        submit(NvmOpcode.WRITE, 10);
        submit(NvmOpcode.WRITE, 11);
        assertEquals(2, f.ctrl.poll());
        CompletionQueueEntry cqe = qp.peekCompletion();
        assertNotNull(cqe);
        assertEquals(11, cqe.cid(), "CID 10 was swallowed");
        assertEquals(2, cqe.sqHead(), "the dropped command was still consumed from the SQ");
        qp.release();
        for (int i = 0; i < 3; i++) {
            f.ctrl.poll();
        }
        assertNull(qp.peekCompletion());
        assertEquals(1, f.ctrl.droppedCommands());
    }

    @Test
    void aFilterDropsOnlyTheCommandsItMatches() {
        f.ctrl.dropCompletionsWhere((sqid, sqe) -> sqid == 1 && sqe.opcode() == NvmOpcode.READ);
        submit(NvmOpcode.READ, 1);
        submit(NvmOpcode.WRITE, 2);
        submit(NvmOpcode.READ, 3);
        f.ctrl.poll();
        assertEquals(2, qp.peekCompletion().cid());
        qp.release();
        assertNull(qp.peekCompletion());
        assertEquals(2, f.ctrl.droppedCommands());
        f.ctrl.dropCompletionsWhere(null);
        submit(NvmOpcode.READ, 4);
        f.ctrl.poll();
        assertEquals(4, qp.peekCompletion().cid());
    }

    @Test
    void droppedWritesLeaveTheStoreUntouched() {
        f.fill(0, 4096, 1);
        f.ctrl.dropCompletions(1);
        submit(NvmOpcode.WRITE, 5);
        f.ctrl.poll();
        var back = java.lang.foreign.MemorySegment.ofArray(new byte[4096]);
        f.store.read(5, 1, back);
        assertTrue(EmuFixture.allZero(back), "a command that never completes has no effect");
    }
}
