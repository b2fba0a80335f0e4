package io.nvmfoffload.nvmf.transport.tcp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArrivalSpinTest {
    private LoopbackSocketPair sockets;

    @BeforeEach
    void connect() throws IOException {
        sockets = LoopbackSocketPair.open();
    }

    @AfterEach
    void close() throws IOException {
        sockets.close();
    }

    @Test
    void seesBytesThatArrivedAndLeavesThemToTheReader() throws IOException, InterruptedException {
        ArrivalSpin spin = new ArrivalSpin(sockets.target(), 1_000_000);
        sockets.host().write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertTrue(spin.awaitBytes());
        ByteBuffer read = ByteBuffer.allocate(3);
        while (read.hasRemaining()) {
            sockets.target().read(read);
        }
        assertEquals(3, read.get(2));
    }

    @Test
    void givesUpAfterItsBudgetWhenNothingArrives() throws IOException {
        ArrivalSpin spin = new ArrivalSpin(sockets.target(), 2_000);
        long start = System.nanoTime();
        assertFalse(spin.awaitBytes());
        assertTrue(System.nanoTime() - start >= 2_000_000, "spun at least its 2 ms budget");
    }

    @Test
    void aZeroBudgetDoesNotSpinAtAll() throws IOException {
        sockets.host().write(ByteBuffer.wrap(new byte[] {1}));
        assertFalse(new ArrivalSpin(sockets.target(), 0).awaitBytes(), "off: always straight to the blocking read");
    }

    @Test
    void skipsTheNextWaitAfterAMissAndSpinsAgainAfterAHit() throws IOException {
        ArrivalSpin spin = new ArrivalSpin(sockets.target(), 500);
        assertFalse(spin.awaitBytes(), "nothing sent: a miss");
        sockets.host().write(ByteBuffer.wrap(new byte[] {1}));
        assertFalse(spin.awaitBytes(), "the wait after a miss goes straight to the blocking read");
        assertTrue(spin.awaitBytes(), "then it spins again, and sees the byte");
        drain(1);
        assertFalse(spin.awaitBytes(), "a miss after a hit");
        sockets.host().write(ByteBuffer.wrap(new byte[] {2}));
        assertFalse(spin.awaitBytes(), "skips one wait again, not more: the hit reset the back-off");
        assertTrue(spin.awaitBytes());
    }

    @Test
    void consecutiveMissesSkipTwiceAsManyWaitsUpToTheMaximum() throws IOException {
        ArrivalSpin spin = new ArrivalSpin(sockets.target(), 100);
        assertFalse(spin.awaitBytes(), "a miss: the next wait is skipped");
        assertFalse(spin.awaitBytes(), "skipped");
        assertFalse(spin.awaitBytes(), "a second miss in a row: the next three waits are skipped");
        sockets.host().write(ByteBuffer.wrap(new byte[] {3}));
        for (int skipped = 1; skipped <= 3; skipped++) {
            assertFalse(spin.awaitBytes(), "wait " + skipped + " of 3 skipped although the byte is there");
        }
        assertTrue(spin.awaitBytes(), "the fourth wait spins and sees it");
        drain(1);
        for (int wait = 0; wait < 1_000; wait++) {
            assertFalse(spin.awaitBytes());
        }
        sockets.host().write(ByteBuffer.wrap(new byte[] {4}));
        int waitsUntilSeen = 1;
        while (!spin.awaitBytes()) {
            waitsUntilSeen++;
        }
        assertTrue(waitsUntilSeen <= ArrivalSpin.MAX_SKIPPED + 1, "a quiet queue spins again within "
                + (ArrivalSpin.MAX_SKIPPED + 1) + " waits, not " + waitsUntilSeen);
    }

    private void drain(int bytes) throws IOException {
        ByteBuffer read = ByteBuffer.allocate(bytes);
        while (read.hasRemaining()) {
            sockets.target().read(read);
        }
    }
}
