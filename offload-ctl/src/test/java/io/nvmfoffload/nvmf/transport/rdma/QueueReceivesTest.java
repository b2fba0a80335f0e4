package io.nvmfoffload.nvmf.transport.rdma;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueueReceivesTest {
    /** What was posted, as "qp:index". */
    private final List<String> posted = new ArrayList<>();
    private final QueueReceives receives = new QueueReceives(8, (qp, index) -> posted.add(qp + ":" + index));

    @Test
    void aQueuePairGetsARunOfBuffersAllPostedToIt() {
        assertEquals(0, receives.attach(10, 3));
        assertEquals(3, receives.attach(11, 4));
        assertEquals(List.of("10:0", "10:1", "10:2", "11:3", "11:4", "11:5", "11:6"), posted);
        assertEquals(-1, receives.attach(12, 2), "only one buffer is left");
        assertEquals(7, receives.inUse());
    }

    @Test
    void queuesOfTheLargestSizeLeaveBuffersForTheHostsAfterThem() {
        int pool = 2048;  // the listener's default: 4 x the SRQ depth of 512
        QueueReceives shared = new QueueReceives(pool, (qp, index) -> { });
        int largest = QueueReceives.granted(1024, pool);
        assertEquals(256, largest, "HSQSIZE 1023 gets an eighth of the pool");
        assertTrue(shared.attach(1, largest) >= 0);
        assertTrue(shared.attach(2, largest) >= 0);
        for (int qp = 3; qp < 3 + 12; qp++) {
            assertTrue(shared.attach(qp, QueueReceives.granted(128, pool)) >= 0, "a Linux host's queue " + qp + " still connects");
        }
        assertEquals(32, QueueReceives.granted(32, pool), "an admin queue gets all it asks for");
        assertEquals(1, QueueReceives.granted(1024, 4), "a queue always gets a receive");
    }

    @Test
    void aBufferGoesBackToItsQueuePairWhenItsCommandIsDone() {
        receives.attach(10, 2);
        posted.clear();
        assertTrue(receives.taken(1, 10));
        receives.repost(1, 10);
        assertEquals(List.of("10:1"), posted);
        receives.repost(1, 10);
        assertEquals(1, posted.size(), "a buffer already posted is not posted twice");
    }

    @Test
    void nothingIsPostedToADetachedQueuePairAndItsBuffersFreeOnRelease() {
        receives.attach(10, 4);
        assertTrue(receives.taken(0, 10));
        receives.detach(10);
        posted.clear();
        receives.repost(0, 10);
        receives.discard(1, 10);  // flushed
        assertEquals(List.of(), posted);
        receives.release(10);
        assertEquals(0, receives.inUse());
        assertEquals(0, receives.attach(11, 8), "every buffer free again");
    }

    @Test
    void aBufferACommandStillHoldsIsNotGivenToTheNextQueuePairUntilItComesBack() {
        receives.attach(10, 4);
        assertTrue(receives.taken(2, 10));  // in-capsule data of a write still executing
        receives.detach(10);
        receives.release(10);
        assertEquals(1, receives.inUse());
        assertEquals(-1, receives.attach(11, 6), "no run of six around the held buffer");
        assertEquals(3, receives.attach(11, 5));
        posted.clear();
        receives.repost(2, 10);  // the write completes
        assertEquals(List.of(), posted, "not posted to anyone");
        assertEquals(0, receives.attach(12, 3), "free again");
    }

    @Test
    void aLateCompletionOfAnEarlierOwnerIsIgnored() {
        receives.attach(10, 2);
        receives.detach(10);
        receives.release(10);
        receives.attach(11, 2);
        posted.clear();
        assertFalse(receives.taken(0, 10), "the buffer is queue pair 11's now");
        receives.repost(0, 10);
        receives.discard(0, 10);
        assertEquals(List.of(), posted);
        assertTrue(receives.taken(0, 11), "and still on queue pair 11's receive queue");
    }
}
