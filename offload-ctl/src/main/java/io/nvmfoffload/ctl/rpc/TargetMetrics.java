package io.nvmfoffload.ctl.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import io.nvmfoffload.ctl.config.ProviderConfig;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The target's statistics as Prometheus metric families, built at each scrape from the stats
 * document (the one the stats command shows): the I/O path keeps its own counters and nothing is
 * counted twice. A {@code provider} label appears only where an offload provider is in use, and
 * names it; a target whose provider is none has no provider label anywhere.
 */
final class TargetMetrics implements MultiCollector {
    /** One counter of the stats document: its key there, its Prometheus name (without _total), help and unit. */
    private record Family(String key, String name, String help, Unit unit) {
        /** Blocks are exposed as bytes: namespaces of 512- and 4096-byte blocks then add up. */
        boolean blocks() {
            return key.endsWith("_blocks");
        }
    }

    private static final String NS = "nvmf_offload_namespace_";
    private static final List<Family> NAMESPACE = List.of(
            new Family("read_commands", NS + "read_commands", "Read commands the software path completed on the namespace.", null),
            new Family("read_blocks", NS + "read_bytes", "Bytes the software path read from the namespace.", Unit.BYTES),
            new Family("write_commands", NS + "write_commands", "Write commands the software path completed on the namespace.", null),
            new Family("write_blocks", NS + "write_bytes", "Bytes the software path wrote to the namespace.", Unit.BYTES),
            new Family("flush_commands", NS + "flush_commands", "Flush commands the software path completed on the namespace.", null),
            new Family("error_commands", NS + "error_commands",
                    "I/O commands on the namespace that the software path failed with an NVMe error status.", null));

    private static final String ENGINE = "nvmf_offload_engine_";
    private static final String BY_ENGINE = " by the offload engine for the namespace on the port; "
            + "this I/O never reaches the software-path counters.";
    private static final List<Family> ENGINE_COUNTERS = List.of(
            new Family("read_commands", ENGINE + "read_commands", "Read commands executed" + BY_ENGINE, null),
            new Family("read_blocks", ENGINE + "read_bytes", "Bytes read" + BY_ENGINE, Unit.BYTES),
            new Family("write_commands", ENGINE + "write_commands", "Write commands executed" + BY_ENGINE, null),
            new Family("write_blocks", ENGINE + "write_bytes", "Bytes written" + BY_ENGINE, Unit.BYTES),
            new Family("inline_write_commands", ENGINE + "inline_write_commands",
                    "Write commands with in-capsule data executed" + BY_ENGINE, null),
            new Family("flush_commands", ENGINE + "flush_commands", "Flush commands executed" + BY_ENGINE, null),
            new Family("error_commands", ENGINE + "error_commands", "Commands that failed" + BY_ENGINE, null),
            new Family("backend_error_commands", ENGINE + "backend_error_commands",
                    "Commands the backend NVMe device failed or lost, as seen" + BY_ENGINE, null));

    /** The ULP DDP counters by their kernel (or model) name, each with what it counts. */
    private static final Map<String, String> DDP_HELP = Map.ofEntries(
            Map.entry("rx-nvme-tcp-sk-add", "Sockets the receive offload took on for placement (kernel ulp_ddp sk_add)."),
            Map.entry("rx-nvme-tcp-sk-add-fail", "Sockets the receive offload refused, at its socket limit (sk_add failures)."),
            Map.entry("rx-nvme-tcp-sk-del", "Offloaded sockets released (sk_del)."),
            Map.entry("rx-nvme-tcp-setup", "I/O buffers set up for direct placement (ddp_setup)."),
            Map.entry("rx-nvme-tcp-setup-fail",
                    "I/O buffers refused for direct placement: too many scatter entries or a tag out of range."),
            Map.entry("rx-nvme-tcp-teardown", "Direct placements torn down when their command completed (ddp_teardown)."),
            Map.entry("rx-nvme-tcp-drop", "PDUs that failed the offload's data digest check, after which its framing was lost."),
            Map.entry("rx-nvme-tcp-resync", "Framing resynchronisations (request and response) after a drop."),
            Map.entry("rx-nvme-tcp-packets", "Receives whose payload was placed straight into the command's buffer."),
            Map.entry("rx-nvme-tcp-bytes", "Payload bytes placed straight into the command's buffer."),
            Map.entry("copied-bytes", "Payload bytes that went through a receive buffer and a copy instead of being placed (model only)."),
            Map.entry("copied-pdus", "PDUs whose payload went through a receive buffer and a copy (model only)."));

    private final Supplier<JsonNode> stats;

    /** {@code stats}: the stats document with per-namespace entries, read once per scrape. */
    TargetMetrics(Supplier<JsonNode> stats) {
        this.stats = stats;
    }

    @Override
    public MetricSnapshots collect() {
        JsonNode s = stats.get();
        String provider = inUse(s.path("offload").path("provider").asText(ProviderConfig.NONE));
        MetricSnapshots.Builder b = MetricSnapshots.builder();
        namespaces(b, s);
        engine(b, s);
        subsystems(b, s, provider);
        listeners(b, s);
        ddp(b, s, provider);
        return b.build();
    }

    /** The provider's name, or null for none: only a provider in use is named in a label. */
    private static String inUse(String provider) {
        return provider.isEmpty() || provider.equals(ProviderConfig.NONE) ? null : provider;
    }

    private static void namespaces(MetricSnapshots.Builder b, JsonNode s) {
        for (Family f : NAMESPACE) {
            CounterSnapshot.Builder c = counter(f);
            for (JsonNode sub : s.path("subsystems")) {
                for (JsonNode ns : sub.path("namespaces")) {
                    long scale = f.blocks() ? ns.path("block_size").asLong() : 1;
                    c.dataPoint(point(ns.path(f.key()).asLong() * scale,
                            Labels.of("subsystem", sub.path("nqn").asText(), "nsid", ns.path("nsid").asText())));
                }
            }
            b.metricSnapshot(c.build());
        }
    }

    /** The engine's counters per offloaded namespace and port, labelled with the provider that runs it. */
    private static void engine(MetricSnapshots.Builder b, JsonNode s) {
        for (Family f : ENGINE_COUNTERS) {
            CounterSnapshot.Builder c = counter(f);
            for (JsonNode sub : s.path("subsystems")) {
                for (JsonNode live : sub.path("offload_live")) {
                    String provider = inUse(live.path("provider").asText(ProviderConfig.NONE));
                    if (provider == null) {
                        continue; // no engine runs this namespace: its counters would be zeros under a provider label
                    }
                    long scale = f.blocks() ? blockSize(sub, live.path("nsid").asInt()) : 1;
                    c.dataPoint(point(live.path("counters").path(f.key()).asLong() * scale,
                            Labels.of("subsystem", sub.path("nqn").asText(), "nsid", live.path("nsid").asText(),
                                    "port", live.path("port").asText(), "provider", provider)));
                }
            }
            b.metricSnapshot(c.build());
        }
    }

    /** The namespace's block size from the same document (the engine counts the namespace's blocks). */
    private static long blockSize(JsonNode sub, int nsid) {
        for (JsonNode ns : sub.path("namespaces")) {
            if (ns.path("nsid").asInt() == nsid) {
                return ns.path("block_size").asLong();
            }
        }
        return 0;
    }

    private static void subsystems(MetricSnapshots.Builder b, JsonNode s, String provider) {
        GaugeSnapshot.Builder controllers = GaugeSnapshot.builder().name("nvmf_offload_subsystem_controllers")
                .help("Controllers (host associations) connected to the subsystem.");
        GaugeSnapshot.Builder offload = GaugeSnapshot.builder().name("nvmf_offload_subsystem_offload_configured")
                .help("1 when the configuration enables offload for the subsystem, else 0; labelled with the offload "
                        + "provider when one is in use.");
        for (JsonNode sub : s.path("subsystems")) {
            Labels labels = Labels.of("subsystem", sub.path("nqn").asText());
            controllers.dataPoint(gauge(sub.path("controllers").asLong(), labels));
            offload.dataPoint(gauge(sub.path("offload").asText().equals("off") ? 0 : 1,
                    provider == null ? labels : labels.add("provider", provider)));
        }
        b.metricSnapshot(controllers.build());
        b.metricSnapshot(offload.build());
    }

    private static void listeners(MetricSnapshots.Builder b, JsonNode s) {
        GaugeSnapshot.Builder g = GaugeSnapshot.builder().name("nvmf_offload_listener_connections")
                .help("Host connections on the port's listener: TCP connections, or RDMA queue pairs (one per queue).");
        for (JsonNode l : s.path("listeners")) {
            long n = l.has("connections") ? l.path("connections").asLong() : l.path("queues").asLong();
            g.dataPoint(gauge(n, Labels.of("port", l.path("port").asText(), "transport", l.path("transport").asText())));
        }
        b.metricSnapshot(g.build());
    }

    /**
     * Each TCP listener's ULP DDP counters (kernel names with '-' as '_'). The receive offload model
     * runs on every TCP listener; the provider label names the target's provider, when it has one.
     */
    private static void ddp(MetricSnapshots.Builder b, JsonNode s, String provider) {
        Map<String, CounterSnapshot.Builder> families = new LinkedHashMap<>();
        for (JsonNode l : s.path("listeners")) {
            JsonNode d = l.path("ulp_ddp");
            Labels labels = Labels.of("port", l.path("port").asText());
            Labels labelled = provider == null ? labels : labels.add("provider", provider);
            for (String group : new String[] {"statistics", "model_statistics"}) {
                for (Map.Entry<String, JsonNode> e : d.path(group).properties()) {
                    families.computeIfAbsent(e.getKey(), TargetMetrics::ddpFamily).dataPoint(point(e.getValue().asLong(), labelled));
                }
            }
        }
        families.values().forEach(f -> b.metricSnapshot(f.build()));
    }

    private static CounterSnapshot.Builder ddpFamily(String key) {
        String name = "nvmf_offload_tcp_ddp_" + key.replace('-', '_');
        String help = DDP_HELP.getOrDefault(key, "NVMe/TCP receive offload counter " + key + ".");
        return counter(new Family(key, name, help + " Per TCP listener.", key.endsWith("-bytes") ? Unit.BYTES : null));
    }

    private static CounterSnapshot.Builder counter(Family f) {
        CounterSnapshot.Builder c = CounterSnapshot.builder().name(f.name()).help(f.help());
        return f.unit() == null ? c : c.unit(f.unit());
    }

    private static CounterDataPointSnapshot point(long value, Labels labels) {
        return CounterDataPointSnapshot.builder().value(value).labels(labels).build();
    }

    private static GaugeDataPointSnapshot gauge(long value, Labels labels) {
        return GaugeDataPointSnapshot.builder().value(value).labels(labels).build();
    }
}
