package io.nvmfoffload.nvmf.transport.rdma;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PendingReceivesTest {
    @Test
    void receivesWaitInArrivalOrderAcrossTheRingsEnd() {
        PendingReceives p = new PendingReceives(3, () -> 3);
        p.add(7, 64, 100);
        p.add(8, 128, 101);
        assertEquals(7, p.headRecvIndex());
        p.removeHead();
        p.add(9, 96, 102);
        p.add(10, 80, 103);  // wraps around
        int[] order = new int[3];
        for (int i = 0; i < 3; i++) {
            order[i] = p.headRecvIndex();
            p.removeHead();
        }
        assertEquals("[8, 9, 10]", java.util.Arrays.toString(order));
        assertTrue(p.isEmpty());
    }

    @Test
    void moreWaitingReceivesThanBuffersIsABugThatSaysSo() {
        PendingReceives p = new PendingReceives(1, () -> 1);
        p.add(0, 64, 1);
        assertThrows(IllegalStateException.class, () -> p.add(1, 64, 1));
        assertEquals(64, p.headLength());
        assertEquals(1, p.headQpNumber());
    }

    @Test
    void growsToTheReceivesAnOffloadSrqAddedKeepingArrivalOrder() {
        int[] receives = {2};
        PendingReceives p = new PendingReceives(2, () -> receives[0]);
        p.add(1, 64, 1);
        p.add(2, 64, 1);
        p.removeHead();
        p.add(3, 64, 1);  // wrapped: [3, 2] with head at 1
        receives[0] = 4;  // an offload SRQ's buffers joined the listener's
        p.add(70_000, 64, 2);
        p.add(70_001, 64, 2);
        int[] order = new int[4];
        for (int i = 0; i < 4; i++) {
            order[i] = p.headRecvIndex();
            p.removeHead();
        }
        assertEquals("[2, 3, 70000, 70001]", java.util.Arrays.toString(order));
    }
}
