package io.nvmfoffload.nvme.emu;

import io.nvmfoffload.nvme.spec.SubmissionQueueEntry;

/**
 * Chooses commands for fault injection. Called on the device thread for every fetched command
 * while installed; it must not keep the entry view, which is reused.
 */
@FunctionalInterface
public interface CommandFilter {
    boolean test(int sqid, SubmissionQueueEntry sqe);
}
