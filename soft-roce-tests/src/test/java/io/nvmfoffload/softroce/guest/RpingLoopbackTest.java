package io.nvmfoffload.softroce.guest;

import io.nvmfoffload.softroce.bed.InBed;
import io.nvmfoffload.softroce.bed.Rxe;
import io.nvmfoffload.softroce.process.CommandResult;
import io.nvmfoffload.softroce.process.Commands;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** rdma_cm connection set-up and SEND/RDMA traffic over rxe0, with librdmacm's own rping. */
@InBed
class RpingLoopbackTest {
    @Test
    void rpingClientExchangesThreePingsWithServerOverRxeAddress() throws InterruptedException {
        try (Commands.Background server = Commands.start("rping", "-s", "-a", Rxe.address(), "-p", "7174", "-C", "3", "-v")) {
            Thread.sleep(1500);  // rping -s has no readiness signal; under TCG the bind takes a moment
            CommandResult client = Commands.run(Duration.ofSeconds(90), "rping", "-c", "-a", Rxe.address(),
                    "-p", "7174", "-C", "3", "-v");
            assertEquals(0, client.exitCode(), client.describe());
            long pings = client.stdout().lines().filter(l -> l.contains("ping data:")).count();
            assertEquals(3, pings, "the rping client should print 3 pings:\n" + client.stdout());
            CommandResult served = server.awaitOrStop(Duration.ofSeconds(30));
            assertTrue(served.stdout().contains("ping data:"), "the rping server saw no ping:\n" + served.stdout());
        }
    }
}
