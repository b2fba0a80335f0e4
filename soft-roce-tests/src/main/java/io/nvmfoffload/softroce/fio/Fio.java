package io.nvmfoffload.softroce.fio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nvmfoffload.softroce.process.CommandResult;
import io.nvmfoffload.softroce.process.Commands;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Runs fio against a block device and reads its JSON output. */
public final class Fio {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> args = new ArrayList<>();
    private Duration timeout = Duration.ofMinutes(5);

    private Fio(String job, Path device) {
        args.addAll(List.of("fio", "--name=" + job, "--filename=" + device, "--ioengine=libaio", "--direct=1",
                "--output-format=json", "--group_reporting", "--verify_state_save=0",
                // percentiles of the whole latency, submission included: at QD1 the kernel's
                // NVMe/TCP host can finish an I/O inside io_submit, leaving a completion latency of microseconds
                "--lat_percentiles=1"));
    }

    public static Fio job(String name, Path device) {
        return new Fio(name, device);
    }

    /** Any fio option, as {@code --key=value}. */
    public Fio option(String key, Object value) {
        args.add("--" + key + "=" + value);
        return this;
    }

    /** Random writes of {@code size}, then a read-back checked with crc32c; any mismatch is an error. */
    public Fio verifiedRandomWrite(String blockSize, String size, int queueDepth) {
        return option("rw", "randwrite").option("bs", blockSize).option("size", size).option("iodepth", queueDepth)
                .option("verify", "crc32c").option("do_verify", 1).option("verify_fatal", 1);
    }

    public Fio timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    public List<String> commandLine() {
        return List.copyOf(args);
    }

    public FioResult run() {
        CommandResult result = Commands.run(timeout, args);
        JsonNode root;
        try {
            String out = result.stdout();
            int brace = out.indexOf('{');  // fio may print notes before the JSON document
            root = JSON.readTree(brace < 0 ? "" : out.substring(brace));
        } catch (IOException e) {
            throw new IllegalStateException("fio printed no JSON result: " + result.describe(), e);
        }
        if (root == null || !root.path("jobs").isArray() || root.path("jobs").isEmpty()) {
            throw new IllegalStateException("fio's JSON has no jobs: " + result.describe());
        }
        JsonNode job = root.path("jobs").get(0);
        FioResult parsed = new FioResult(job.path("jobname").asText(), job.path("error").asInt(),
                side(job.path("read")), side(job.path("write")), job.path("usr_cpu").asDouble() + job.path("sys_cpu").asDouble());
        if (!result.succeeded() && parsed.error() == 0) {
            throw new IllegalStateException("fio failed without a job error: " + result.describe());
        }
        return parsed;
    }

    private static FioResult.Side side(JsonNode s) {
        JsonNode lat = s.path("lat_ns");
        return new FioResult.Side(s.path("total_ios").asLong(), s.path("iops").asDouble(),
                s.path("bw_bytes").asDouble(), lat.path("mean").asDouble() / 1000.0,
                lat.path("percentile").path("99.000000").asDouble() / 1000.0);
    }
}
