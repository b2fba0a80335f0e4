package io.nvmfoffload.hostile.tcp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Identify and Property Get with fields the controller must refuse. */
class IdentifyPropertyTest {
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
     * Spec (Base 2.0, 5.17.2.1): CNS 00h with NSID FFFFFFFFh returns common namespace capabilities
     * only with Namespace Management (OACS bit 3); without it, Invalid Namespace or Format with DNR (nvmet).
     */
    @Test
    void identifyNamespaceWithTheBroadcastNsidIsInvalidNamespaceWithoutNamespaceManagement() throws IOException {
        try (SpecTcpHost admin = target.admin()) {
            Completion ctrl = admin.identify(1, 0);
            assertTrue(ctrl.success(), () -> "Identify Controller: " + ctrl);
            boolean nsManagement = (Le.u16(ctrl.data(), 256) & 1 << 3) != 0;
            Completion c = admin.identify(0, 0xFFFFFFFF);
            if (nsManagement) {
                assertTrue(c.success(), () -> "CNS 0 NSID FFFFFFFFh with namespace management: " + c);
            } else {
                assertEquals(0x00B, c.cqe().code(), () -> "want Invalid Namespace or Format, got " + c);
                assertTrue(c.cqe().dnr(), () -> "DNR on " + c);
            }
        }
        target.assertAlive();
    }

    /** Spec (Fabrics 1.1, 3.4): CAP is an 8-byte property; a 4-byte Property Get of it is Invalid Field in Command (nvmet). */
    @Test
    void propertyGetOfCapWithAFourByteSizeIsInvalidField() throws IOException {
        try (SpecTcpHost admin = target.admin()) {
            Cqe eight = admin.propertyGet(Commands.PROP_CAP, true);
            assertTrue(eight.success(), () -> "8-byte CAP: " + eight);
            Cqe four = admin.propertyGet(Commands.PROP_CAP, false);
            assertEquals(0x002, four.code(), () -> "4-byte CAP: want Invalid Field in Command, got " + four);
        }
        target.assertAlive();
    }
}
