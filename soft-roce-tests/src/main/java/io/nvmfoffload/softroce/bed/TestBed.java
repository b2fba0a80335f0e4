package io.nvmfoffload.softroce.bed;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A place with a real RDMA device where tests that need one can run: this host, a qemu guest, or a
 * container. Each run of the test suite boots (or prepares) its bed once and runs one script in it.
 */
public interface TestBed {

    /** Short name, also the value of the {@code softroce.bed} property that forces this bed. */
    String name();

    /** Whether this bed can run here, and if not, why not (shown to the user). */
    Availability probe();

    /**
     * Runs a bash script in the bed with rxe0 up, configfs mounted and the project directory at its
     * host path. Output lines are handed to {@code liveOutput} as they arrive.
     */
    BedRun run(String script, Duration timeout, Path logDir, Consumer<String> liveOutput);

    record Availability(boolean available, String reason) {
        public static Availability yes(String reason) {
            return new Availability(true, reason);
        }

        public static Availability no(String reason) {
            return new Availability(false, reason);
        }
    }
}
