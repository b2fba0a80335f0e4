package io.nvmfoffload.nvmf.transport.rdma;

import io.nvmfoffload.verbs.SendWorkRequests;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a batch does around its one post (the linking itself is verbs-binding's
 * {@code SendWorkRequests.link}, the post needs a device: the guest tests).
 */
class SendBatchesTest {

    @Test
    void aBatchWhosePostNeverReachedTheProviderGivesBackEveryOwnerInTheOrderAdded() {
        try (SendWorkRequests a = new SendWorkRequests(4, 1); SendWorkRequests b = new SendWorkRequests(4, 1)) {
            SendBatches<String> batches = new SendBatches<>();
            SendBatches.Batch<String> noQueuePair = new SendBatches.Batch<>(null);  // its post fails before any provider sees it
            SendBatches.Link<String> first = new SendBatches.Link<>("first");
            SendBatches.Link<String> second = new SendBatches.Link<>("second");
            assertTrue(batches.isEmpty());
            first.set(a, 0, 2);
            batches.add(noQueuePair, first);
            second.set(b, 3, 1);
            batches.add(noQueuePair, second);
            assertFalse(batches.isEmpty());

            List<String> givenBack = new ArrayList<>();
            batches.flush((owner, e) -> givenBack.add(owner));
            assertEquals(List.of("first", "second"), givenBack);
            assertTrue(batches.isEmpty(), "a flush ends the pass's batches, posted or not");
        }
    }
}
