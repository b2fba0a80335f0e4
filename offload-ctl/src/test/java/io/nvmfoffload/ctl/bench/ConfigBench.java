package io.nvmfoffload.ctl.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nvmfoffload.ctl.config.ConfigReader;
import io.nvmfoffload.ctl.config.Plan;
import io.nvmfoffload.ctl.config.TargetConfig;
import io.nvmfoffload.ctl.rpc.ManagedTarget;
import io.nvmfoffload.ctl.rpc.OffloadStateSource;
import io.nvmfoffload.ctl.rpc.RpcClient;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures, printed not asserted: validate + apply of 1,000 subsystems x 4 namespaces on
 * a serving target, the RSS afterwards, and the management round trip in process and as a CLI run
 * (a fresh JVM per call, as an operator's shell does). bench.sh runs it.
 */
public final class ConfigBench {
    /** The figures again, as one "RESULT key=value ..." line for scripts (the benchmark report reads it). */
    private static final Map<String, Object> RESULT = new LinkedHashMap<>();

    private ConfigBench() {}

    public static void main(String[] args) throws Exception {
        int subsystems = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int namespaces = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        String java = args.length > 2 ? args[2] : null;
        String cliClasspath = args.length > 3 ? args[3] : System.getProperty("java.class.path");
        String launcher = args.length > 4 ? args[4] : null;
        Path dir = Files.createTempDirectory("config-bench");
        String text = new ObjectMapper().writeValueAsString(document(subsystems, namespaces, freePort()));
        System.out.printf("document: %d subsystems x %d namespaces, %d KiB of JSON%n", subsystems, namespaces, text.length() / 1024);
        RESULT.put("subsystems", subsystems);
        RESULT.put("namespaces", namespaces);

        long t0 = System.nanoTime();
        JsonNode doc = ConfigReader.parse(text);
        TargetConfig config = ConfigReader.read(doc);
        long t1 = System.nanoTime();
        try (ManagedTarget target = ManagedTarget.start(TargetConfig.empty(config.offloadProvider()), OffloadStateSource.NOT_REPORTED)) {
            long t2 = System.nanoTime();
            Plan plan = target.config().apply(config);
            long t3 = System.nanoTime();
            System.out.printf("parse + validate: %d ms; apply (%d steps, listener started): %d ms; total %d ms%n",
                    ms(t1 - t0), plan.steps().size(), ms(t3 - t2), ms(t1 - t0 + t3 - t2));
            RESULT.put("validate_ms", ms(t1 - t0));
            RESULT.put("apply_ms", ms(t3 - t2));
            long t4 = System.nanoTime();
            Plan again = target.config().apply(ConfigReader.read(ConfigReader.parse(text)));
            long reapply = ms(System.nanoTime() - t4);
            System.out.printf("re-apply of the same document: %d steps, %d ms (validate + diff)%n", again.steps().size(), reapply);
            RESULT.put("reapply_ms", reapply);
            System.out.println("RSS after apply: " + rss("VmRSS") + " MiB, peak " + rss("VmHWM") + " MiB (heap max "
                    + (Runtime.getRuntime().maxMemory() >> 20) + " MiB)");
            RESULT.put("rss_mib", rss("VmRSS"));

            target.serveRpc(dir.resolve("ctl.sock"));
            inProcessRoundTrip(target.socket());
            if (java != null && launcher != null) {
                cliRoundTrip(java, cliClasspath, launcher, target.socket());
            }
        }
        StringBuilder line = new StringBuilder("RESULT");
        RESULT.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
        System.out.println(line);
    }

    private static void inProcessRoundTrip(Path socket) throws Exception {
        long[] t = new long[50];
        for (int i = 0; i < t.length; i++) {
            long s = System.nanoTime();
            try (RpcClient c = RpcClient.connect(socket)) {
                c.call("host.list");
            }
            t[i] = System.nanoTime() - s;
        }
        Arrays.sort(t);
        System.out.printf("management round trip in process (connect + host.list): median %.2f ms, p90 %.2f ms%n",
                t[t.length / 2] / 1e6, t[t.length * 9 / 10] / 1e6);
        RESULT.put("rpc_median_ms", String.format("%.2f", t[t.length / 2] / 1e6));
    }

    /**
     * `offload-ctl host list` in a fresh JVM: plain ({@code cp} is the installed jar and its runtime
     * dependencies), and through the launcher (C1, serial GC, AOT cache; its first run trains the cache).
     */
    private static void cliRoundTrip(String java, String cp, String launcher, Path socket) throws Exception {
        List<String> hostList = List.of("host", "list", "--socket", socket.toString());
        List<String> plain = concat(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", cp, "io.nvmfoffload.ctl.cli.OffloadCtl"),
                hostList);
        List<String> fast = concat(List.of(launcher), hostList);
        exec(fast);
        // The reference in the same run: a JVM that starts and exits with the launcher's flags, doing nothing.
        timeFreshProcesses("cli_floor_ms", "JVM floor ('java -version', same flags, fresh JVM)",
                List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-version"));
        timeFreshProcesses("cli_plain_ms", "CLI round trip (plain JVM, 'offload-ctl host list', fresh JVM)", plain);
        timeFreshProcesses("cli_launcher_ms", "CLI round trip (bin/offload-ctl launcher, AOT cache, 'offload-ctl host list', fresh JVM)", fast);
    }

    private static void timeFreshProcesses(String key, String what, List<String> cmd) throws Exception {
        long[] t = new long[9];
        for (int i = 0; i < t.length; i++) {
            long s = System.nanoTime();
            exec(cmd);
            t[i] = System.nanoTime() - s;
        }
        Arrays.sort(t);
        System.out.printf("%s: median %d ms, min %d ms, max %d ms%n", what, ms(t[t.length / 2]), ms(t[0]), ms(t[t.length - 1]));
        RESULT.put(key, ms(t[t.length / 2]));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static void exec(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(cmd.getFirst() + " failed: " + out);
        }
    }

    static ObjectNode document(int subsystems, int namespaces, int port) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode doc = m.createObjectNode();
        ArrayNode hosts = doc.putArray("hosts");
        for (int h = 0; h < 100; h++) {
            hosts.addObject().put("nqn", String.format("nqn.2014-08.org.nvmexpress:uuid:00000000-0000-4000-8000-%012d", h));
        }
        ArrayNode subs = doc.putArray("subsystems");
        ArrayNode links = m.createArrayNode();
        for (int s = 0; s < subsystems; s++) {
            String nqn = "nqn.2026-11.io.bench:s" + s;
            links.add(nqn);
            ObjectNode sub = subs.addObject().put("nqn", nqn).put("serial", "BENCH" + s);
            sub.putArray("allowed_hosts").add(hosts.get(s % 100).get("nqn").asText());
            ArrayNode nss = sub.putArray("namespaces");
            for (int n = 1; n <= namespaces; n++) {
                nss.addObject().put("nsid", n).putObject("store").put("type", "ram").put("size", "4KiB").put("block_size", 512);
            }
        }
        ObjectNode p = doc.putArray("ports").addObject().put("id", 1).put("transport", "tcp").put("address", "127.0.0.1").put("service_id", port);
        p.set("subsystems", links);
        return doc;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    /** A /proc/self/status field in MiB, -1 where the kernel does not report it. */
    private static long rss(String field) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("\\D+", "")) >> 10;
            }
        }
        return -1;
    }
}
