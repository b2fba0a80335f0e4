package io.nvmfoffload.offload.emulated;

import io.nvmfoffload.verbs.nvmf.IoQueueAttributes;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PendingCapsulesTest {
    @Test
    void capsulesComeBackInOrderWithTheirOwnerBytesAndArrivalUntilTheRingIsFull() {
        try (Arena arena = Arena.ofConfined()) {
            PendingCapsules pending = new PendingCapsules(arena, 3, 128);
            MemorySegment receive = arena.allocate(1024);
            QpAttachment a = new QpAttachment(null, null, new IoQueueAttributes(1, 32, 1));
            QpAttachment b = new QpAttachment(null, null, new IoQueueAttributes(1, 32, 1));
            for (int i = 0; i < 3; i++) {
                receive.set(ValueLayout.JAVA_BYTE, 256 + 5, (byte) (i + 1));
                assertTrue(pending.add(i % 2 == 0 ? a : b, receive, 256, 64 + i, 1000L * i));
            }
            assertFalse(pending.add(a, receive, 0, 64, 0), "a full ring refuses: software takes the capsule instead");
            for (int i = 0; i < 3; i++) {
                assertSame(i % 2 == 0 ? a : b, pending.headOwner());
                assertEquals(64 + i, pending.headLength());
                assertEquals(1000L * i, pending.headReceivedAt());
                assertEquals(i + 1, pending.segment().get(ValueLayout.JAVA_BYTE, pending.headOffset() + 5));
                pending.removeHead();
            }
            assertEquals(0, pending.count());
            assertFalse(pending.add(a, receive, 0, 129, 0), "a capsule larger than an entry is refused");
        }
    }
}
