package io.nvmfoffload.offload.emulated;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static io.nvmfoffload.offload.emulated.OffloadCommandState.AT_BACKEND;
import static io.nvmfoffload.offload.emulated.OffloadCommandState.FREE;
import static io.nvmfoffload.offload.emulated.OffloadCommandState.QUARANTINED;
import static io.nvmfoffload.offload.emulated.OffloadCommandState.READING_HOST_DATA;
import static io.nvmfoffload.offload.emulated.OffloadCommandState.RESPONDING;
import static io.nvmfoffload.offload.emulated.OffloadCommandState.WAITING_FOR_BACKEND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OffloadCommandStateTest {
    /** The moves the engine makes, and only those. */
    private static final Map<OffloadCommandState, Set<OffloadCommandState>> ALLOWED = Map.of(
            FREE, EnumSet.of(READING_HOST_DATA, WAITING_FOR_BACKEND, AT_BACKEND, RESPONDING),
            READING_HOST_DATA, EnumSet.of(WAITING_FOR_BACKEND, AT_BACKEND, RESPONDING, FREE),
            WAITING_FOR_BACKEND, EnumSet.of(AT_BACKEND, RESPONDING),
            AT_BACKEND, EnumSet.of(RESPONDING),
            RESPONDING, EnumSet.of(FREE, QUARANTINED),
            QUARANTINED, EnumSet.of(FREE));

    @Test
    void theTransitionTableAllowsExactlyTheEnginesMoves() {
        for (OffloadCommandState from : OffloadCommandState.values()) {
            for (OffloadCommandState to : OffloadCommandState.values()) {
                assertEquals(ALLOWED.get(from).contains(to), from.canMoveTo(to), from + " -> " + to);
            }
        }
    }

    @Test
    void aCommandTheBackendHoldsCanNeitherBeFreedNorAnsweredTwice() {
        assertTrue(!AT_BACKEND.canMoveTo(FREE), "its slot may still be written by the device");
        assertTrue(!WAITING_FOR_BACKEND.canMoveTo(FREE));
        assertTrue(!RESPONDING.canMoveTo(RESPONDING), "one answer per command");
        assertTrue(!QUARANTINED.canMoveTo(RESPONDING), "a quarantined command was answered already");
        assertTrue(!FREE.canMoveTo(FREE), "a slot is released once");
    }

    @Test
    void anIllegalMoveOfACommandThrowsAndLeavesItsState() {
        try (Arena arena = Arena.ofConfined()) {
            OffloadedCommand cmd = new OffloadedCommand(7, arena.allocate(4096), 0, arena.allocate(4096), arena.allocate(64),
                    arena.allocate(16));
            cmd.transition(READING_HOST_DATA);
            cmd.transition(AT_BACKEND);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> cmd.transition(FREE));
            assertEquals("offload command 7: illegal transition AT_BACKEND -> FREE", e.getMessage());
            assertEquals(AT_BACKEND, cmd.state);
            cmd.transition(RESPONDING);
            cmd.transition(QUARANTINED);
            assertThrows(IllegalStateException.class, () -> cmd.transition(AT_BACKEND));
            cmd.clear();
            assertEquals(FREE, cmd.state);
        }
    }
}
