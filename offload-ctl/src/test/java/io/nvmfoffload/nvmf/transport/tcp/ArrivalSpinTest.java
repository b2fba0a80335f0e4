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
}
