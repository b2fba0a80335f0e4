package io.nvmfoffload.hostile.tcp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.nvmfoffload.hostile.tcp.HostileTarget.BLOCK;
import static io.nvmfoffload.hostile.tcp.HostileTarget.HOSTNQN;
import static io.nvmfoffload.hostile.tcp.HostileTarget.NSID;
import static io.nvmfoffload.hostile.tcp.HostileTarget.SUBNQN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two hosts racing to create the same I/O queue of one controller, then the admin queue going away. */
class ConcurrentIoConnectTest {
    private static final int ROUNDS = 300;
    private HostileTarget target;

    @BeforeEach
    void start() throws IOException {
        target = HostileTarget.start();
    }

    @AfterEach
    void stop() {
        target.close();
    }

    /**
     * Spec: a QID names one queue; the second Connect for it fails with Connect Invalid Parameters
     * (SCT 1 SC 82h) or Command Sequence Error (nvmet), never Internal Error; once the admin queue
     * is gone the association ends and the target closes the I/O queue's connection.
     */
    @Test
    void twoConcurrentConnectsForOneQidLetExactlyOneWinAndDieWithTheAdminQueue() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                String where = "round " + round + ": ";
                SpecTcpHost admin = target.admin();
                try (SpecTcpHost a = target.initialized(); SpecTcpHost b = target.initialized()) {
                    CyclicBarrier start = new CyclicBarrier(2);
                    int cntlid = admin.cntlid();
                    Future<Cqe> fa = pool.submit(() -> {
                        start.await();
                        return a.connectIo(HOSTNQN, SUBNQN, cntlid, 1, 31);
                    });
                    Future<Cqe> fb = pool.submit(() -> {
                        start.await();
                        return b.connectIo(HOSTNQN, SUBNQN, cntlid, 1, 31);
                    });
                    Cqe ca = fa.get(10, TimeUnit.SECONDS);
                    Cqe cb = fb.get(10, TimeUnit.SECONDS);
                    int wins = (ca.success() ? 1 : 0) + (cb.success() ? 1 : 0);
                    assertEquals(1, wins, where + "exactly one Connect succeeds: " + ca + " / " + cb);
                    Cqe lost = ca.success() ? cb : ca;
                    assertTrue(lost.code() == 0x182 || lost.code() == 0x00C,
                            where + "losing Connect: want Connect Invalid Parameters or Command Sequence Error, got " + lost);
                    SpecTcpHost winner = ca.success() ? a : b;
                    Completion r = winner.read(NSID, 0, 1, BLOCK);
                    assertTrue(r.success(), where + "the winning queue serves I/O: " + r);

                    admin.close();
                    assertTrue(winner.closedByPeerWithin(Duration.ofSeconds(5)),
                            where + "the winning I/O queue's connection is still open 5 s after its admin queue closed");
                } finally {
                    admin.close();
                }
            }
        } finally {
            pool.shutdownNow();
        }
        target.assertAlive();
    }
}
