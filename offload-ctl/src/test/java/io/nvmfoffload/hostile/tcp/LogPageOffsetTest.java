package io.nvmfoffload.hostile.tcp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Get Log Page offsets (LPOL/LPOU, CDW12-13) the page does not have. NVMe Base 2.0, 5.16: an
 * offset larger than the log page is Invalid Field in Command. The SMART / Health log (02h) is 512
 * bytes.
 */
class LogPageOffsetTest {
    private static final int SMART = 0x02;
    private static final int ALL = 0xFFFFFFFF;
    private HostileTarget target;

    @BeforeEach
    void start() throws IOException {
        target = HostileTarget.start();
    }

    @AfterEach
    void stop() {
        target.close();
    }

    /** Spec: an offset of 2^63 or more is past every log page: Invalid Field in Command (SC 2), not Internal Error. */
    @Test
    void offsetOfTwoToTheSixtyThirdIsInvalidField() throws IOException {
        try (SpecTcpHost admin = target.admin()) {
            assertSmartReadable(admin);
            for (long offset : new long[] {1L << 63, -4L, (1L << 63) + 512}) {
                Completion c = admin.getLogPage(SMART, ALL, offset, 512);
                assertInvalidField(c, offset);
            }
        }
        target.assertAlive();
    }

    /** Spec: an offset past the 512-byte page's end is Invalid Field in Command (SC 2). */
    @Test
    void offsetPastThePagesEndIsInvalidField() throws IOException {
        try (SpecTcpHost admin = target.admin()) {
            assertSmartReadable(admin);
            for (long offset : new long[] {516, 4096, 1L << 32}) {
                assertInvalidField(admin.getLogPage(SMART, ALL, offset, 4), offset);
            }
        }
        target.assertAlive();
    }

    /** Spec: each bad offset is one failed command; 200 in a row leave the connection serving. */
    @Test
    void twoHundredBadOffsetsInARowLeaveTheConnectionServing() throws IOException {
        try (SpecTcpHost admin = target.admin()) {
            for (int i = 0; i < 200; i++) {
                long offset = i % 2 == 0 ? 1L << 63 | (long) i << 2 : 4096L + 4L * i;
                assertInvalidField(admin.getLogPage(SMART, ALL, offset, 512), offset);
            }
            assertSmartReadable(admin);
        }
        target.assertAlive();
    }

    private static void assertSmartReadable(SpecTcpHost admin) throws IOException {
        Completion c = admin.getLogPage(SMART, ALL, 0, 512);
        assertTrue(c.success(), () -> "SMART log at offset 0: " + c);
    }

    private static void assertInvalidField(Completion c, long offset) {
        String where = "offset 0x" + Long.toHexString(offset) + ": ";
        assertEquals(0x002, c.cqe().code(), where + "want Invalid Field in Command, got " + c);
    }
}
