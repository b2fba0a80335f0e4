package io.nvmfoffload.target.transport.rdma;

/**
 * How a poller that posts sends rings its send queues: whether it batches them per pass
 * ({@link SendBatches}) and whether it hands large posts to a {@link PostingThread}. One policy
 * for the target's software path and the emulated offload engine, read from the same system
 * properties, so that an experiment that turns one off turns it off for both.
 *
 * @param handOff         hand posts of {@code handOffMinBytes} or more to a posting thread
 * @param handOffMinBytes the fewest data bytes a handed-off post carries
 * @param batchSends      post each queue pair's sends once per poller pass rather than one by one
 */
public record PostingPolicy(boolean handOff, int handOffMinBytes, boolean batchSends) {
    /** System property: {@code false} makes the poller post everything itself. */
    public static final String HAND_OFF_PROPERTY = "nvmf.rdma.postingThread";
    /** System property: the fewest data bytes a post carries to be handed off (default {@value #HAND_OFF_MIN_BYTES}). */
    public static final String HAND_OFF_MIN_BYTES_PROPERTY = "nvmf.rdma.postingThreadMinBytes";
    /**
     * Measured on soft-RoCE (soft-roce-tests README): handing off 4 KiB posts cost more than it
     * saved (the hand-off, and a second thread contending for the same send queue), 128 KiB gained.
     */
    public static final int HAND_OFF_MIN_BYTES = 32 * 1024;
    /** System property: {@code false} posts each request's sends at once instead of once per poller pass. */
    public static final String BATCH_SENDS_PROPERTY = "nvmf.rdma.batchSends";

    public PostingPolicy {
        if (handOffMinBytes < 0) {
            throw new IllegalArgumentException("posting policy: hand-off threshold " + handOffMinBytes + " bytes is negative");
        }
    }

    /** The defaults, overridden by the system properties above. */
    public static PostingPolicy fromSystemProperties() {
        return new PostingPolicy(
                Boolean.parseBoolean(System.getProperty(HAND_OFF_PROPERTY, "true")),
                Integer.getInteger(HAND_OFF_MIN_BYTES_PROPERTY, HAND_OFF_MIN_BYTES),
                Boolean.parseBoolean(System.getProperty(BATCH_SENDS_PROPERTY, "true")));
    }

    /** Whether a post that moves {@code bytes} goes to the posting thread (when there is one). */
    public boolean handsOff(long bytes) {
        return handOff && bytes >= handOffMinBytes;
    }
}
