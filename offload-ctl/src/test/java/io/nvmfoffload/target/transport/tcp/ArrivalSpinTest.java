package io.nvmfoffload.target.transport.tcp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArrivalSpinTest {
    private ServerSocketChannel listener;
    private SocketChannel hostSide;
    private SocketChannel targetSide;

    @BeforeEach
    void connect() throws IOException {
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        hostSide = SocketChannel.open(listener.getLocalAddress());
        targetSide = listener.accept();
    }

    @AfterEach
    void close() throws IOException {
        hostSide.close();
        targetSide.close();
        listener.close();
    }

    @Test
    void seesBytesThatArrivedAndLeavesThemToTheReader() throws IOException, InterruptedException {
        ArrivalSpin spin = new ArrivalSpin(targetSide, 1_000_000);
        hostSide.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertTrue(spin.awaitBytes());
        ByteBuffer read = ByteBuffer.allocate(3);
        while (read.hasRemaining()) {
            targetSide.read(read);
        }
        assertEquals(3, read.get(2));
    }

    @Test
    void givesUpAfterItsBudgetWhenNothingArrives() throws IOException {
        ArrivalSpin spin = new ArrivalSpin(targetSide, 2_000);
        long start = System.nanoTime();
        assertFalse(spin.awaitBytes());
        assertTrue(System.nanoTime() - start >= 2_000_000, "spun at least its 2 ms budget");
    }

    @Test
    void aZeroBudgetDoesNotSpinAtAll() throws IOException {
        hostSide.write(ByteBuffer.wrap(new byte[] {1}));
        assertFalse(new ArrivalSpin(targetSide, 0).awaitBytes(), "off: always straight to the blocking read");
    }
}
