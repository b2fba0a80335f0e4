package io.nvmfoffload.softroce.bed;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.fail;

/** Always fails; SoftRoceBedTest runs it in the bed to prove that inner failures reach the host. */
@Tag(SoftRoceBedTest.SELFTEST_TAG)
class BrokenInBedTest {
    @Test
    void failsWithAKnownMessage() {
        fail(BrokenMessage.TEXT);
    }
}
