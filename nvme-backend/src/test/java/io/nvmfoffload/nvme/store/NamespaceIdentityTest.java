package io.nvmfoffload.nvme.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NamespaceIdentityTest {
    @TempDir
    Path dir;

    @Test
    void sidecarIsCreatedOnceAndReadBack() {
        Path sidecar = dir.resolve("a.nvmeid");
        NamespaceIdentity first = NamespaceIdentity.loadOrCreate(sidecar);
        assertEquals(first, NamespaceIdentity.loadOrCreate(sidecar));
        assertNotEquals(first, NamespaceIdentity.loadOrCreate(dir.resolve("b.nvmeid")));
    }

    @Test
    void malformedSidecarIsReportedWithItsPath() throws Exception {
        Path sidecar = dir.resolve("bad.nvmeid");
        Files.writeString(sidecar, "nguid=zz\n");
        var e = assertThrows(UncheckedIOException.class, () -> NamespaceIdentity.loadOrCreate(sidecar));
        assertTrue(e.getMessage().contains(sidecar.toString()));
    }

    @Test
    void wrongLengthsAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new NamespaceIdentity(new byte[15], java.util.UUID.randomUUID(), new byte[8]));
    }
}
