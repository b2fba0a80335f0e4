package io.nvmfoffload.nvme.store;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RamNamespaceStoreTest extends StoreContract {
    private int counter;

    @Override
    NamespaceStore newStore(int blockSize) {
        return RamNamespaceStore.create("ram-" + counter++, blockSize, BLOCKS);
    }

    @Test
    void identityIsStableForTheSameName() {
        try (var a = RamNamespaceStore.create("disk-a", 512, 8);
             var again = RamNamespaceStore.create("disk-a", 4096, 16);
             var b = RamNamespaceStore.create("disk-b", 512, 8)) {
            assertEquals(a.identity(), again.identity());
            assertNotEquals(a.identity(), b.identity());
            assertEquals(4, a.identity().uuid().version());
            assertEquals(0x02, a.identity().eui64()[0] & 0x03, "locally administered unicast EUI-64");
        }
    }

    @Test
    void useAfterCloseFailsInsteadOfTouchingFreedMemory() {
        NamespaceStore s = newStore(512);
        s.close();
        MemorySegment dst = arena.allocate(512);
        assertThrows(IllegalStateException.class, () -> s.read(0, 1, dst));
        s.close();
    }

    @Test
    void ramHasNoVolatileWriteCache() {
        assertFalse(store.hasVolatileWriteCache());
    }
}
