package io.nvmfoffload.nvme.spec;

/**
 * Feature Identifiers (NVMe Base 2.0 figure 317) and the encodings of the features a target or
 * controller implements.
 */
public final class FeatureId {
    public static final int ARBITRATION = 0x01;
    public static final int POWER_MANAGEMENT = 0x02;
    public static final int TEMPERATURE_THRESHOLD = 0x04;
    public static final int VOLATILE_WRITE_CACHE = 0x06;
    public static final int NUMBER_OF_QUEUES = 0x07;
    public static final int INTERRUPT_COALESCING = 0x08;
    public static final int ASYNC_EVENT_CONFIGURATION = 0x0B;
    public static final int TIMESTAMP = 0x0E;
    public static final int KEEP_ALIVE_TIMER = 0x0F;
    public static final int HOST_IDENTIFIER = 0x81;

    /** Get Features select values (dword 10 bits 10:8). */
    public static final int SELECT_CURRENT = 0;
    public static final int SELECT_DEFAULT = 1;
    public static final int SELECT_SAVED = 2;
    public static final int SELECT_SUPPORTED_CAPABILITIES = 3;

    /** Async Event Configuration bit 8: Namespace Attribute Notices. */
    public static final int AEC_NAMESPACE_ATTRIBUTE_NOTICES = 1 << 8;
    /** Async Event Configuration bit 31: Discovery Log Page Change Notices. */
    public static final int AEC_DISCOVERY_LOG_CHANGE_NOTICES = 1 << 31;

    private FeatureId() {
    }

    /**
     * Number of Queues dword: submission queues in bits 15:0, completion queues in bits 31:16,
     * both 0-based. The same layout serves the request (dword 11) and the result (dword 0).
     */
    public static int numberOfQueues(int submissionQueues, int completionQueues) {
        if (submissionQueues < 1 || submissionQueues > 0xFFFF || completionQueues < 1 || completionQueues > 0xFFFF) {
            throw new IllegalArgumentException("queue counts " + submissionQueues + "/" + completionQueues
                    + " outside 1..65535");
        }
        return (submissionQueues - 1) | (completionQueues - 1) << 16;
    }

    /** 1-based submission queue count from a Number of Queues dword. */
    public static int submissionQueues(int dword) {
        return (dword & 0xFFFF) + 1;
    }

    /** 1-based completion queue count from a Number of Queues dword. */
    public static int completionQueues(int dword) {
        return (dword >>> 16) + 1;
    }

    /** Volatile Write Cache dword 11 bit 0: Volatile Write Cache Enable. */
    public static boolean writeCacheEnabled(int dword) {
        return (dword & 1) != 0;
    }
}
