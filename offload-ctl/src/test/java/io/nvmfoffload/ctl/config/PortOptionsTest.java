package io.nvmfoffload.ctl.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.nvmfoffload.nvmf.Port;
import io.nvmfoffload.nvmf.Target;
import io.nvmfoffload.nvmf.transport.rdma.RdmaTransportOptions;
import io.nvmfoffload.nvmf.transport.tcp.TcpTransportOptions;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A port's transport options in the document: read with defaults, applied to the port, saved whole. */
class PortOptionsTest {
    private static final String DOC = """
            {"ports": [
              {"id": 1, "transport": "tcp", "address": "127.0.0.1", "service_id": 4420, "tcp": {"arrival_spin_us": 0}},
              {"id": 2, "transport": "rdma", "address": "10.0.0.1", "rdma": {"max_srq_depth": 64, "no_srq": true,
                "posting_thread_min_bytes": "64KiB"}},
              {"id": 3, "transport": "rdma", "address": "10.0.0.2"}]}""";

    private static String saved(TargetConfig config) {
        return ConfigWriter.toJson(config).toPrettyString();
    }

    @Test
    void optionsAreReadWithTheDefaultsForWhatIsNotGiven() {
        List<PortConfig> ports = ConfigReader.read(DOC).ports();
        assertEquals(new TcpTransportOptions(0), ports.get(0).options());
        assertEquals(new RdmaTransportOptions(64, true, true, 64 * 1024, false), ports.get(1).options());
        assertEquals(RdmaTransportOptions.DEFAULTS, ports.get(2).options(), "a port without its object has the defaults");
    }

    @Test
    void saveWritesEveryOptionAndTheSavedDocumentRoundTripsByteForByte() {
        String saved = saved(ConfigReader.read(DOC));
        JsonNode defaults = ConfigReader.parse(saved).path("ports").get(2).path("rdma");
        assertEquals("{\"max_srq_depth\":512,\"no_srq\":false,\"posting_thread\":true,\"posting_thread_min_bytes\":32768,"
                + "\"no_wr_batching\":false}", defaults.toString());
        assertEquals(saved, saved(ConfigReader.read(saved)));
    }

    @Test
    void theRunningTargetsPortsCarryTheirOptionsAndSaveThemBack() {
        Target target = new Target();
        TargetControl control = TargetControl.detached(target);
        new ConfigService(control).apply(ConfigReader.parse(DOC));
        assertEquals(new TcpTransportOptions(0), target.port(1).options());
        assertEquals(saved(ConfigReader.read(DOC)), saved(StateReader.read(control)));
    }

    @Test
    void changedOptionsRecreateTheirPortAndNothingElse() {
        TargetConfig current = ConfigReader.read(DOC);
        TargetConfig desired = ConfigReader.read(DOC.replace("\"arrival_spin_us\": 0", "\"arrival_spin_us\": 50"));
        assertEquals("   1  remove port port=1\n   2  add port port=1 transport=tcp address=127.0.0.1 service_id=4420 "
                + "in_capsule_data_size=8192 max_io_size=1048576\n", Planner.plan(current, desired).toText().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void theOtherTransportsObjectIsRefusedAtItsPointer() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigReader.read(
                "{\"ports\": [{\"id\": 1, \"transport\": \"tcp\", \"address\": \"127.0.0.1\", \"rdma\": {\"no_srq\": true}}]}"));
        assertEquals("/ports/0/rdma: expected no \"rdma\" object on a tcp port (its options go in \"tcp\"), found object {\"no_srq\":true}",
                e.errors().getFirst().toString());
    }

    @Test
    void theSchemasDefaultsAndRangesAreTheRecords() {
        JsonNode rdma = ConfigSchema.node().at("/$defs/rdma_options/properties");
        RdmaTransportOptions r = RdmaTransportOptions.DEFAULTS;
        assertEquals(List.of(r.maxSrqDepth(), RdmaTransportOptions.MIN_SRQ_DEPTH, RdmaTransportOptions.MAX_SRQ_DEPTH),
                List.of(rdma.at("/max_srq_depth/default").asInt(), rdma.at("/max_srq_depth/minimum").asInt(), rdma.at("/max_srq_depth/maximum").asInt()));
        assertEquals(List.of(r.postingThreadMinBytes(), 0, RdmaTransportOptions.MAX_POSTING_THREAD_MIN_BYTES),
                List.of(rdma.at("/posting_thread_min_bytes/default").asInt(), rdma.at("/posting_thread_min_bytes/minimum").asInt(),
                        rdma.at("/posting_thread_min_bytes/maximum").asInt()));
        assertEquals(List.of(r.noSrq(), r.postingThread(), r.noWrBatching()), List.of(rdma.at("/no_srq/default").asBoolean(),
                rdma.at("/posting_thread/default").asBoolean(), rdma.at("/no_wr_batching/default").asBoolean()));
        JsonNode spin = ConfigSchema.node().at("/$defs/tcp_options/properties/arrival_spin_us");
        assertEquals(List.of(TcpTransportOptions.DEFAULTS.arrivalSpinMicros(), 0, TcpTransportOptions.MAX_ARRIVAL_SPIN_MICROS),
                List.of(spin.path("default").asInt(), spin.path("minimum").asInt(), spin.path("maximum").asInt()));
    }

    @Test
    void aPortMadeWithoutOptionsIsSavedWithTheDefaults() {
        PortConfig p = PortConfig.of(Port.of(1, io.nvmfoffload.nvmf.TransportType.TCP, "127.0.0.1", 4420), List.of());
        assertEquals(TcpTransportOptions.DEFAULTS, p.options());
    }
}
