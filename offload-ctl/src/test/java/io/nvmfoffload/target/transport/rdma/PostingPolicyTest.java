package io.nvmfoffload.target.transport.rdma;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PostingPolicyTest {
    @Test
    void handsOffOnlyPostsAtOrAboveTheThreshold() {
        PostingPolicy policy = new PostingPolicy(true, 32 * 1024, true);
        assertFalse(policy.handsOff(4096));
        assertFalse(policy.handsOff(32 * 1024 - 1));
        assertTrue(policy.handsOff(32 * 1024));
        assertTrue(policy.handsOff(128 * 1024));
    }

    @Test
    void handsOffNothingWhenTheHandOffIsOff() {
        assertFalse(new PostingPolicy(false, 0, true).handsOff(1 << 20));
    }

    @Test
    void systemPropertiesOverrideTheDefaults() {
        assertEquals(new PostingPolicy(true, PostingPolicy.HAND_OFF_MIN_BYTES, true), PostingPolicy.fromSystemProperties());
        try {
            System.setProperty(PostingPolicy.HAND_OFF_PROPERTY, "false");
            System.setProperty(PostingPolicy.HAND_OFF_MIN_BYTES_PROPERTY, "4096");
            System.setProperty(PostingPolicy.BATCH_SENDS_PROPERTY, "false");
            assertEquals(new PostingPolicy(false, 4096, false), PostingPolicy.fromSystemProperties());
        } finally {
            System.clearProperty(PostingPolicy.HAND_OFF_PROPERTY);
            System.clearProperty(PostingPolicy.HAND_OFF_MIN_BYTES_PROPERTY);
            System.clearProperty(PostingPolicy.BATCH_SENDS_PROPERTY);
        }
    }

    @Test
    void refusesANegativeThresholdNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PostingPolicy(true, -1, true));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
    }
}
