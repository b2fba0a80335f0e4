package io.nvmfoffload.nvmf.transport.buffer;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataBufferPoolTest {
    /** Registers nothing: hands out lkeys and counts what was registered and deregistered. */
    static final class FakeDevice implements DataBufferPool.Registrar {
        final List<MemorySegment> registered = new ArrayList<>();
        int deregistered;

        @Override
        public DataBufferPool.Registration register(MemorySegment chunk) {
            registered.add(chunk);
            return new DataBufferPool.Registration(0x100 + registered.size(), () -> deregistered++);
        }
    }

    private final FakeDevice device = new FakeDevice();

    @Test
    void memoryIsRegisteredInChunksAsFirstNeededAndNeverBeyondThePool() {
        try (DataBufferPool pool = new DataBufferPool(20L << 20, 1 << 20, device)) {
            assertEquals(20L << 20, pool.capacityBytes());
            assertEquals(0, pool.use(0).allocatedBytes(), "nothing made before it is needed (NVMe/TCP)");
            pool.withFirstChunk();
            assertEquals(8L << 20, pool.use(0).allocatedBytes(), "one chunk at start over RDMA, so a device that refuses fails the port");
            List<DataBufferPool.Buffer> held = new ArrayList<>();
            DataBufferPool.Take t;
            do {
                DataBufferPool.Buffer b = new DataBufferPool.Buffer();
                t = pool.take(b, pool.share(), 1 << 20);
                if (t == DataBufferPool.Take.TAKEN) {
                    held.add(b);
                }
            } while (t == DataBufferPool.Take.TAKEN);
            assertEquals(DataBufferPool.Take.POOL_EMPTY, t);
            assertEquals(20, held.size(), "twenty 1 MiB buffers in a 20 MiB pool");
            assertEquals(3, device.registered.size(), "8 + 8 + 4 MiB");
            assertEquals(20L << 20, pool.use(0).allocatedBytes());
            for (DataBufferPool.Buffer b : held) {
                MemorySegment chunk = device.registered.stream()
                        .filter(c -> b.address() >= c.address() && b.address() + (1 << 20) <= c.address() + c.byteSize()).findFirst().orElseThrow();
                assertEquals(0x101 + device.registered.indexOf(chunk), b.lkey(), "the lkey of the chunk the buffer lies in");
                assertEquals(1 << 20, b.segment().byteSize());
            }
            held.forEach(pool::give);
            assertEquals(0, pool.use(0).inUseBytes());
        }
        assertEquals(3, device.deregistered, "every chunk deregistered at close");
    }

    @Test
    void aSmallTransferTakesASmallBlockAndItsSegmentIsExactlyItsLength() {
        try (DataBufferPool pool = new DataBufferPool(8L << 20, 1 << 20, device)) {
            DataBufferPool.Buffer b = new DataBufferPool.Buffer();
            assertEquals(DataBufferPool.Take.TAKEN, pool.take(b, pool.share(), 512));
            assertEquals(512, b.segment().byteSize());
            assertEquals(4096, pool.use(0).inUseBytes(), "a 4 KiB block");
            assertEquals(0, b.address() % 4096, "page aligned");
            assertThrows(IllegalStateException.class, () -> pool.take(b, pool.share(), 512), "one buffer per slot");
            assertThrows(IllegalArgumentException.class, () -> pool.take(new DataBufferPool.Buffer(), pool.share(), (1 << 20) + 1),
                    "more than the largest transfer");
            pool.give(b);
            pool.give(b);  // a slot without a buffer gives nothing back
            assertFalse(b.held());
            assertEquals(0, pool.use(0).inUseBytes());
        }
    }

    @Test
    void oneQueueHoldsAtMostSixteenLargestTransfersAndAQuarterOfThePool() {
        try (DataBufferPool pool = new DataBufferPool(256L << 20, 1 << 20, device)) {
            assertEquals(16L << 20, pool.queueBound());
            DataBufferPool.Share greedy = pool.share();
            for (int i = 0; i < 16; i++) {
                assertEquals(DataBufferPool.Take.TAKEN, pool.take(new DataBufferPool.Buffer(), greedy, 1 << 20));
            }
            assertEquals(DataBufferPool.Take.QUEUE_AT_BOUND, pool.take(new DataBufferPool.Buffer(), greedy, 4096));
            assertEquals(DataBufferPool.Take.TAKEN, pool.take(new DataBufferPool.Buffer(), pool.share(), 1 << 20), "another queue still gets one");
        }
        try (DataBufferPool small = new DataBufferPool(8L << 20, 1 << 20, device)) {
            assertEquals(2L << 20, small.queueBound(), "a quarter of an 8 MiB pool");
        }
        try (DataBufferPool tiny = new DataBufferPool(1L << 20, 1 << 20, device)) {
            assertEquals(1L << 20, tiny.queueBound(), "always room for one largest transfer");
        }
    }

    @Test
    void aPoolThatCannotHoldOneLargestTransferIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new DataBufferPool(4L << 20, 8 << 20, device));
        assertTrue(device.registered.isEmpty());
    }

    @Test
    void aDeviceThatRefusesTheFirstChunkFailsThePortsStart() {
        DataBufferPool.Registrar refusing = chunk -> {
            throw new IllegalStateException("ibv_reg_mr: Cannot allocate memory");
        };
        assertThrows(IllegalStateException.class, () -> new DataBufferPool(16L << 20, 1 << 20, refusing).withFirstChunk());
    }

    @Test
    void aChunkTheDeviceRefusesLeavesThePoolAtWhatItHasAndCommandsWait() {
        DataBufferPool.Registrar once = new DataBufferPool.Registrar() {
            @Override
            public DataBufferPool.Registration register(MemorySegment chunk) {
                if (!device.registered.isEmpty()) {
                    throw new IllegalStateException("ibv_reg_mr: Cannot allocate memory");
                }
                return device.register(chunk);
            }
        };
        try (DataBufferPool pool = new DataBufferPool(64L << 20, 8 << 20, once).withFirstChunk()) {
            DataBufferPool.Buffer first = new DataBufferPool.Buffer();
            assertEquals(DataBufferPool.Take.TAKEN, pool.take(first, pool.share(), 8 << 20));
            assertEquals(DataBufferPool.Take.POOL_EMPTY, pool.take(new DataBufferPool.Buffer(), pool.share(), 8 << 20));
            pool.give(first);
            assertEquals(DataBufferPool.Take.TAKEN, pool.take(new DataBufferPool.Buffer(), pool.share(), 8 << 20));
        }
    }
}
