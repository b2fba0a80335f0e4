package io.nvmfoffload.offload.emulated;

import io.nvmfoffload.verbs.nvmf.NvmfEventType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackendWatchdogTest {
    private static final long TIMEOUT = 30_000_000L;
    private static final int PAGE = 4096;

    private record Fault(EmulatedBackendController controller, NvmfEventType type, String why) {}

    private final Arena arena = Arena.ofConfined();
    private final StagingSlots slots = new StagingSlots(arena.allocate(8 * 2 * PAGE, PAGE), 0, PAGE, PAGE, arena);
    private final BackendControllers controllers = new BackendControllers();
    private final FakeNvmeBackend backend = new FakeNvmeBackend(arena, 1, 8, slots.count(), TIMEOUT);
    private final List<Fault> faults = new ArrayList<>();
    private final BackendWatchdog watchdog = new BackendWatchdog(slots, controllers, (c, type, why) -> {
        faults.add(new Fault(c, type, why));
        c.moveTo(EmulatedBackendController.State.FAILED);
    });

    BackendWatchdogTest() {
        controllers.add(backend.controller);
    }

    @AfterEach
    void close() {
        arena.close();
    }

    /** Slot {@code index} holds a command the backend has in its SQ. */
    private OffloadedCommand atBackend(int index) {
        OffloadedCommand cmd = slots.get(index);
        cmd.backend = backend.controller;
        cmd.transition(OffloadCommandState.AT_BACKEND);
        backend.controller.atBackend++;
        return cmd;
    }

    @Test
    void aCommandWithoutACompletionPastItsTimeoutRaisesNvmeTimeoutOnce() {
        atBackend(0);
        atBackend(5);
        long t0 = 1_000_000_000L;
        watchdog.check(t0);  // stamps both
        assertEquals(t0, slots.get(5).submittedAt);
        watchdog.check(t0 + TIMEOUT);
        assertTrue(faults.isEmpty(), "exactly at the timeout is not past it");
        watchdog.check(t0 + TIMEOUT + 1);
        assertEquals(1, faults.size(), "one event for the backend, not one per command: " + faults);
        assertEquals(NvmfEventType.NVME_TIMEOUT, faults.get(0).type());
        assertEquals("CID 0 got no completion within 30 ms", faults.get(0).why());
        watchdog.check(t0 + 10 * TIMEOUT);
        assertEquals(1, faults.size(), "a failed backend is not checked again");
    }

    @Test
    void theTimeoutCountsFromTheFirstCheckThatSawTheCommand() {
        long t0 = 5_000_000_000L;
        watchdog.check(t0);
        OffloadedCommand cmd = atBackend(2);
        watchdog.check(t0 + 2 * TIMEOUT);
        assertEquals(t0 + 2 * TIMEOUT, cmd.submittedAt);
        watchdog.check(t0 + 3 * TIMEOUT);
        assertTrue(faults.isEmpty());
        watchdog.check(t0 + 3 * TIMEOUT + 1);
        assertEquals(NvmfEventType.NVME_TIMEOUT, faults.getFirst().type());
    }

    @Test
    void commandsOfOtherBackendsOrStatesAreNotTimed() {
        FakeNvmeBackend other = new FakeNvmeBackend(arena, 2, 8, slots.count(), TIMEOUT);
        OffloadedCommand waiting = slots.get(1);
        waiting.backend = backend.controller;
        waiting.transition(OffloadCommandState.WAITING_FOR_BACKEND);
        OffloadedCommand elsewhere = slots.get(3);
        elsewhere.backend = other.controller;
        elsewhere.transition(OffloadCommandState.AT_BACKEND);
        watchdog.check(1);
        watchdog.check(1 + 100 * TIMEOUT);
        assertTrue(faults.isEmpty(), faults.toString());
        assertEquals(0, waiting.submittedAt);
        assertEquals(0, elsewhere.submittedAt);
    }

    @Test
    void csTsReadingAllOnesIsAPciErrorEvenWithNothingOutstanding() {
        backend.linkDown();
        watchdog.check(1);
        assertEquals(1, faults.size());
        assertEquals(NvmfEventType.NVME_PCI_ERR, faults.get(0).type());
        assertEquals("register reads return all ones (PCIe link down)", faults.get(0).why());
    }

    @Test
    void controllerFatalStatusIsAPciError() {
        atBackend(0);
        backend.fatalStatus();
        watchdog.check(1);
        assertEquals(NvmfEventType.NVME_PCI_ERR, faults.getFirst().type());
        assertTrue(faults.getFirst().why().startsWith("CSTS.CFS is set"), faults.getFirst().why());
    }

    @Test
    void checksAreDueEvery256PassesAndOnThePassAfterASleep() {
        for (int pass = 1; pass < BackendWatchdog.PASSES_PER_CHECK; pass++) {
            assertFalse(watchdog.countPass(), "pass " + pass);
        }
        assertTrue(watchdog.countPass());
        backend.linkDown();
        watchdog.checkIfDue();
        assertEquals(1, faults.size(), "the due check ran");
        assertFalse(watchdog.countPass(), "and is not due again");
        watchdog.dueAfterSleep();
        assertTrue(watchdog.countPass());
    }
}
