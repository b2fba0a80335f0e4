package io.nvmfoffload.softroce.guest;

import io.nvmfoffload.softroce.bed.InBed;
import io.nvmfoffload.softroce.bed.Rxe;
import io.nvmfoffload.softroce.process.CommandResult;
import io.nvmfoffload.softroce.process.Commands;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RDMA WRITE throughput over rxe0 with perftest's ib_write_bw (connected through rdma_cm). */
@InBed
class PerftestWriteBandwidthTest {
    // "65536      500              25.31              24.91              0.000398"
    private static final Pattern RESULT = Pattern.compile("^\\s*65536\\s+(\\d+)\\s+([\\d.]+)\\s+([\\d.]+)", Pattern.MULTILINE);

    @Test
    void ibWriteBwMoves64KiBMessagesAndReportsBandwidth() throws InterruptedException {
        String[] common = {"-d", Rxe.DEVICE, "-R", "-s", "65536", "-n", "500", "-F", "-p", "18515"};
        try (Commands.Background server = Commands.start(concat("ib_write_bw", common))) {
            Thread.sleep(1500);
            CommandResult client = Commands.run(Duration.ofSeconds(120), concat("ib_write_bw", common, Rxe.address()));
            assertEquals(0, client.exitCode(), client.describe());
            Matcher m = RESULT.matcher(client.stdout());
            assertTrue(m.find(), "no result line in ib_write_bw output:\n" + client.stdout());
            double averageMBps = Double.parseDouble(m.group(3));
            System.out.printf("ib_write_bw 64 KiB over rxe0: %.2f MB/s average%n", averageMBps);
            assertTrue(averageMBps > 0, "ib_write_bw reported no bandwidth:\n" + client.stdout());
            server.awaitOrStop(Duration.ofSeconds(30));
        }
    }

    private static String[] concat(String first, String[] middle, String... last) {
        String[] all = new String[1 + middle.length + last.length];
        all[0] = first;
        System.arraycopy(middle, 0, all, 1, middle.length);
        System.arraycopy(last, 0, all, 1 + middle.length, last.length);
        return all;
    }
}
