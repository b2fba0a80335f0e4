package io.nvmfoffload.ctl.config;

import io.nvmfoffload.nvmf.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigReaderTest {
    private static final String H1 = "nqn.2014-08.org.nvmexpress:uuid:11111111-1111-4111-8111-111111111111";
    private static final String S1 = "nqn.2026-11.io.test:one";

    /** Single quotes keep the corpus readable; no test string needs a literal one. */
    private static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    private static String sub(String extra) {
        return "{'nqn': '" + S1 + "', 'namespaces': [{'nsid': 1, 'store': {'type': 'ram', 'size': '1MiB'}}]" + extra + "}";
    }

    static Stream<Arguments> brokenConfigs() {
        return Stream.of(
                Arguments.of("document is not an object", "[]", List.of("")),
                Arguments.of("unknown top-level key", "{'hostz': []}", List.of("/hostz")),
                Arguments.of("hosts is not an array", "{'hosts': {}}", List.of("/hosts")),
                Arguments.of("host without nqn", "{'hosts': [{}]}", List.of("/hosts/0/nqn")),
                Arguments.of("host nqn longer than 223 bytes", "{'hosts': [{'nqn': '" + "h".repeat(224) + "'}]}", List.of("/hosts/0/nqn")),
                Arguments.of("duplicate host", "{'hosts': [{'nqn': '" + H1 + "'}, {'nqn': '" + H1 + "'}]}", List.of("/hosts/1/nqn")),
                Arguments.of("wrong type of serial and allow_any_host",
                        "{'subsystems': [{'nqn': '" + S1 + "', 'serial': 7, 'allow_any_host': 'yes'}]}",
                        List.of("/subsystems/0/serial", "/subsystems/0/allow_any_host")),
                Arguments.of("serial too long", "{'subsystems': [{'nqn': '" + S1 + "', 'serial': '123456789012345678901'}]}",
                        List.of("/subsystems/0/serial")),
                Arguments.of("discovery NQN as a subsystem", "{'subsystems': [{'nqn': 'nqn.2014-08.org.nvmexpress.discovery'}]}",
                        List.of("/subsystems/0/nqn")),
                Arguments.of("duplicate subsystem", "{'subsystems': [" + sub("") + ", " + sub("") + "]}", List.of("/subsystems/1/nqn")),
                Arguments.of("dangling allowed host", "{'subsystems': [" + sub(", 'allowed_hosts': ['" + H1 + "']") + "]}",
                        List.of("/subsystems/0/allowed_hosts/0")),
                Arguments.of("duplicate nsid", "{'subsystems': [{'nqn': '" + S1 + "', 'namespaces': ["
                        + "{'nsid': 1, 'store': {'type': 'ram', 'size': 4096}}, {'nsid': 1, 'store': {'type': 'ram', 'size': 4096}}]}]}",
                        List.of("/subsystems/0/namespaces/1/nsid")),
                Arguments.of("nsid above the limit", "{'subsystems': [{'nqn': '" + S1 + "', 'namespaces': ["
                        + "{'nsid': 1025, 'store': {'type': 'ram', 'size': 4096}}]}]}", List.of("/subsystems/0/namespaces/0/nsid")),
                Arguments.of("nsid of the wrong type", "{'subsystems': [{'nqn': '" + S1 + "', 'namespaces': ["
                        + "{'nsid': '1', 'store': {'type': 'ram', 'size': 4096}}]}]}", List.of("/subsystems/0/namespaces/0/nsid")),
                Arguments.of("unknown store type and a missing store", "{'subsystems': [{'nqn': '" + S1 + "', 'namespaces': ["
                        + "{'nsid': 1, 'store': {'type': 'nfs'}}, {'nsid': 2}]}]}",
                        List.of("/subsystems/0/namespaces/0/store/type", "/subsystems/0/namespaces/1/store")),
                Arguments.of("ram size not a multiple of the block size, bad size text, relative file path",
                        "{'subsystems': [{'nqn': '" + S1 + "', 'namespaces': ["
                        + "{'nsid': 1, 'store': {'type': 'ram', 'size': 1000}},"
                        + "{'nsid': 2, 'store': {'type': 'ram', 'size': 'lots'}},"
                        + "{'nsid': 3, 'store': {'type': 'file', 'path': 'disk.img', 'block_size': 1024}}]}]}",
                        // the schema's errors come first, then the semantic checks' (size against block size)
                        List.of("/subsystems/0/namespaces/1/store/size", "/subsystems/0/namespaces/2/store/path",
                                "/subsystems/0/namespaces/2/store/block_size", "/subsystems/0/namespaces/0/store/size")),
                Arguments.of("unknown key in a ram store", "{'subsystems': [{'nqn': '" + S1 + "', 'namespaces': ["
                        + "{'nsid': 1, 'store': {'type': 'ram', 'size': 4096, 'path': '/x'}}]}]}",
                        List.of("/subsystems/0/namespaces/0/store/path")),
                Arguments.of("malformed uuid and duplicate nguid", "{'subsystems': [{'nqn': '" + S1 + "', 'namespaces': ["
                        + "{'nsid': 1, 'store': {'type': 'ram', 'size': 4096}, 'uuid': 'not-a-uuid', 'nguid': '000102030405060708090a0b0c0d0e0f'},"
                        + "{'nsid': 2, 'store': {'type': 'ram', 'size': 4096}, 'nguid': '000102030405060708090a0b0c0d0e0f'}]}]}",
                        List.of("/subsystems/0/namespaces/0/uuid", "/subsystems/0/namespaces")),
                Arguments.of("port: wrong transport, bad address, service id out of range, unaligned in-capsule size",
                        "{'ports': [{'id': 1, 'transport': 'fc', 'address': '10.0.0.300', 'service_id': 70000, 'in_capsule_data_size': 100}]}",
                        List.of("/ports/0/transport", "/ports/0/address", "/ports/0/service_id", "/ports/0/in_capsule_data_size")),
                Arguments.of("in-capsule size above 1 MiB", "{'ports': [{'id': 1, 'transport': 'tcp', 'address': '127.0.0.1', "
                        + "'in_capsule_data_size': '2MiB'}]}", List.of("/ports/0/in_capsule_data_size")),
                Arguments.of("port without id, duplicate port id, same listen address",
                        "{'ports': [{'transport': 'tcp', 'address': '127.0.0.1'},"
                        + "{'id': 1, 'transport': 'tcp', 'address': '127.0.0.1'}, {'id': 1, 'transport': 'tcp', 'address': '127.0.0.2'},"
                        + "{'id': 2, 'transport': 'tcp', 'address': '127.0.0.1'}]}",
                        List.of("/ports/0/id", "/ports/2/id", "/ports/3/service_id")),
                Arguments.of("dangling port link", "{'ports': [{'id': 1, 'transport': 'tcp', 'address': '127.0.0.1', "
                        + "'subsystems': ['nqn.2026-11.io.test:none']}]}", List.of("/ports/0/subsystems/0")),
                Arguments.of("offload with the none provider", "{'subsystems': [" + sub(", 'offload': {}") + "]}",
                        List.of("/subsystems/0/offload")),
                Arguments.of("offload: unknown op, wrong type of queue depth",
                        "{'offload_provider': {'name': 'emulated'}, 'subsystems': [" + sub(", 'offload': {'ops': ['read', 'trim'], 'queue_depth': 'deep'}") + "]}",
                        List.of("/subsystems/0/offload/ops/1", "/subsystems/0/offload/queue_depth")),
                Arguments.of("offload beyond the device's limits", "{'offload_provider': {'name': 'emulated', 'profile': 'tiny'}, "
                        + "'subsystems': [" + sub(", 'offload': {'ops': ['read', 'write', 'flush'], 'queue_depth': 128, 'staging_buffer_size': '1GiB'}") + "]}",
                        List.of("/subsystems/0/offload", "/subsystems/0/offload", "/subsystems/0/offload", "/subsystems/0/offload")),
                Arguments.of("passthrough of read/write SQEs on a tcp port, other than 0 or 1, on a profile without it",
                        "{'offload_provider': {'name': 'emulated'}, 'ports': ["
                        + "{'id': 1, 'transport': 'tcp', 'address': '127.0.0.1', 'offload_passthrough_sqe_rw': 1},"
                        + "{'id': 2, 'transport': 'rdma', 'address': '127.0.0.1', 'offload_passthrough_sqe_rw': 2},"
                        + "{'id': 3, 'transport': 'rdma', 'address': '127.0.0.2', 'offload_passthrough_sqe_rw': 1}]}",
                        List.of("/ports/0/offload_passthrough_sqe_rw", "/ports/1/offload_passthrough_sqe_rw",
                                "/ports/2/offload_passthrough_sqe_rw")),
                Arguments.of("unknown provider and unknown profile",
                        "{'offload_provider': {'name': 'mlx5'}}", List.of("/offload_provider/name")),
                Arguments.of("unknown capability in a custom profile",
                        "{'offload_provider': {'name': 'emulated', 'profile': {'max_srq_namespaces': 4, 'warp_speed': 9}}}",
                        List.of("/offload_provider/profile/warp_speed")),
                Arguments.of("limits out of range and of the wrong type",
                        "{'limits': {'max_connections_per_port': 0, 'connect_timeout_ms': 'soon', 'data_buffer_pool_size': '1KiB'}}",
                        List.of("/limits/max_connections_per_port", "/limits/connect_timeout_ms", "/limits/data_buffer_pool_size")),
                Arguments.of("unknown limit", "{'limits': {'max_queues': 4}}", List.of("/limits/max_queues")),
                Arguments.of("not JSON", "{'hosts': [", List.of("")),
                Arguments.of("a list given twice", "{'subsystems': [" + sub("") + "], 'subsystems': []}", List.of("/subsystems")),
                Arguments.of("a key given twice deep inside", "{'subsystems': [" + sub(", 'serial': 'A', 'serial': 'B'") + "]}",
                        List.of("/subsystems/0/serial")),
                Arguments.of("a second document after the first", "{} {'hosts': []}", List.of("")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenConfigs")
    void brokenConfigIsRejectedWithEveryErrorAtItsPointer(String name, String document, List<String> pointers) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigReader.read(json(document)));
        assertEquals(pointers, e.errors().stream().map(ConfigError::pointer).toList(), e.getMessage());
        e.errors().forEach(err -> assertTrue(err.message().length() > 20, "a message says what was expected: " + err));
    }

    @Test
    void namesThatTheLinuxTargetAcceptsAreAcceptedWhateverTheirForm() {
        // nvmetcli's own example files use 'testnqn'; nvmet takes any NQN of up to 223 bytes
        String doc = json("{'hosts': [{'nqn': 'hostnqn'}], 'subsystems': [{'nqn': 'testnqn', 'allowed_hosts': ['hostnqn'], "
                + "'namespaces': [{'nsid': 1, 'store': {'type': 'ram', 'size': '1MiB'}}]}, {'nqn': 'test-subsystem-1', "
                + "'namespaces': []}]}");
        TargetConfig config = ConfigReader.read(doc);
        assertEquals(List.of("test-subsystem-1", "testnqn"), config.subsystems().stream().map(SubsystemConfig::nqn).sorted().toList());
        Target target = new Target();
        new ConfigService(TargetControl.detached(target)).apply(ConfigReader.parse(doc));
        assertTrue(target.findSubsystem("testnqn").isPresent());
    }

    @Test
    void limitsAreReadAppliedAndSavedWithTheirDefaultsFilledIn() {
        String doc = json("{'limits': {'max_connections_per_port': 64, 'pdu_timeout_ms': 5000, 'data_buffer_pool_size': '32MiB'}}");
        TargetConfig config = ConfigReader.read(doc);
        io.nvmfoffload.nvmf.HostLimits want = new io.nvmfoffload.nvmf.HostLimits(
                io.nvmfoffload.nvmf.HostLimits.DEFAULTS.maxControllersPerSubsystem(),
                io.nvmfoffload.nvmf.HostLimits.DEFAULTS.maxControllersPerHost(), 64,
                io.nvmfoffload.nvmf.HostLimits.DEFAULTS.connectTimeoutMillis(), 5000, 32L << 20);
        assertEquals(want, config.limits());
        Target target = new Target();
        ConfigService service = new ConfigService(TargetControl.detached(target));
        service.apply(ConfigReader.parse(doc));
        assertEquals(want, target.limits());
        assertEquals(config, ConfigReader.read(ConfigWriter.toJson(config).toString()), "the saved document reads back equal");
        assertEquals(5000, ConfigWriter.toJson(config).get("limits").get("pdu_timeout_ms").intValue());
    }

    @Test
    void aPortsMaxIoSizeIsReadDefaultedAppliedSavedAndChangedByRecreatingThePort() {
        String doc = json("{'ports': [{'id': 1, 'transport': 'tcp', 'address': '127.0.0.1', 'max_io_size': '256KiB'},"
                + " {'id': 2, 'transport': 'tcp', 'address': '127.0.0.2'}]}");
        TargetConfig config = ConfigReader.read(doc);
        assertEquals(256 << 10, config.ports().get(0).maxIoSize());
        assertEquals(1 << 20, config.ports().get(1).maxIoSize(), "1 MiB when the key is left out, as nvmet-rdma's MDTS 8");
        Target target = new Target();
        ConfigService service = new ConfigService(TargetControl.detached(target));
        service.apply(ConfigReader.parse(doc));
        assertEquals(256 << 10, target.port(1).maxIoSize());
        assertEquals(256 << 10, service.currentDocument().get("ports").get(0).get("max_io_size").intValue(), "save writes it");
        assertEquals(config, ConfigReader.read(ConfigWriter.toJson(config).toString()), "the saved document reads back equal");
        String larger = doc.replace("\"256KiB\"", "\"2MiB\"");
        assertEquals(List.of("remove_port", "add_port"), service.plan(ConfigReader.parse(larger)).steps().stream().map(Step::op).toList(),
                "a listener's largest transfer is fixed while it listens: the port is recreated");
    }

    @Test
    void anOffloadsSwitchFailureIsReadDefaultedAndSaved() {
        String doc = json("{'offload_provider': {'name': 'emulated'}, 'subsystems': [" + sub(", 'offload': {'switch_failure': 'software'}")
                + ", {'nqn': 'nqn.2026-11.io.test:two', 'namespaces': [{'nsid': 1, 'store': {'type': 'ram', 'size': '1MiB'}}], 'offload': {}}]}");
        TargetConfig config = ConfigReader.read(doc);
        assertEquals(io.nvmfoffload.nvmf.SubsystemOffload.SwitchFailure.SOFTWARE, config.subsystems().get(0).offload().onSwitchFailure());
        assertEquals(io.nvmfoffload.nvmf.SubsystemOffload.SwitchFailure.FAIL_CONNECT, config.subsystems().get(1).offload().onSwitchFailure(),
                "left out: the CONNECT fails, as the vendor's nvmet-rdma");
        assertEquals("software", ConfigWriter.toJson(config).get("subsystems").get(0).get("offload").get("switch_failure").textValue());
        assertEquals(config, ConfigReader.read(ConfigWriter.toJson(config).toString()), "the saved document reads back equal");
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigReader.read(json(
                "{'offload_provider': {'name': 'emulated'}, 'subsystems': [" + sub(", 'offload': {'switch_failure': 'retry'}") + "]}")));
        assertTrue(e.getMessage().contains("/subsystems/0/offload/switch_failure"), e.getMessage());
    }

    @Test
    void aBrokenConfigAppliesNothing() {
        Target target = new Target();
        ConfigService service = new ConfigService(TargetControl.detached(target));
        String doc = json("{'hosts': [{'nqn': '" + H1 + "'}], 'subsystems': [" + sub(", 'allowed_hosts': ['nqn.2014-08.org.x:other']") + "]}");
        assertThrows(InvalidConfigException.class, () -> service.apply(ConfigReader.parse(doc)));
        assertTrue(target.hosts().isEmpty() && target.subsystems().isEmpty(), "nothing of a rejected document is applied");
    }

    @Test
    void errorsSayWhatWasFoundAndWhatWasExpected() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> ConfigReader.read(json("{'ports': [{'id': 1, 'transport': 'fc', 'address': '127.0.0.1'}]}")));
        assertEquals("/ports/0/transport: expected \"tcp\" or \"rdma\", found string \"fc\"", e.errors().getFirst().toString());
    }

    @Test
    void aKeyGivenTwiceIsRefusedAtItsSecondOccurrenceWithLineAndColumn() {
        String doc = json("{'hosts': [],\n 'subsystems': [{'nqn': '" + S1 + "',\n   'nqn': '" + S1 + "'}]}");
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigReader.parse(doc));
        assertEquals("/subsystems/0/nqn: key \"nqn\" appears twice in this object at line 3, column 9; expected each key once "
                + "(a repeated key would silently replace the first)", e.errors().getFirst().toString());
    }

    @Test
    void aTruncatedDocumentSaysWhereItEndsAndWhatIsLeftOpen() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> ConfigReader.parse(json("{'hosts': [\n  {'nqn': 'x'},\n")));
        assertEquals("not valid JSON: the text ends early at line 3, column 1: the array that opens at line 1, column 11 is not closed",
                e.errors().getFirst().message());
        e = assertThrows(InvalidConfigException.class, () -> ConfigReader.parse(json("{'hosts': [{'nqn': 'x")));
        assertEquals("not valid JSON: the text ends early at line 1, column 22: a string has no closing quote", e.errors().getFirst().message());
    }

    @Test
    void otherSyntaxErrorsKeepJacksonsReasonButNotItsSourceDescription() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigReader.parse(json("{'hosts': ]}")));
        String m = e.errors().getFirst().message();
        assertTrue(m.startsWith("not valid JSON at line 1, column 11: unexpected ']': expected a valid value"), m);
        assertFalse(m.contains("Source") || m.contains("REDACTED"), m);
    }

    @Test
    void keysWithSlashesAreEscapedInPointers() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigReader.read(json("{'a/b~c': 1}")));
        assertEquals("/a~1b~0c", e.errors().getFirst().pointer());
    }

    @Test
    void writtenDocumentReadsBackEqual() {
        TargetConfig config = ConfigReader.read(json("{'offload_provider': {'name': 'emulated', 'profile': {'max_srq_namespaces': 8, "
                + "'lba_data_sizes': [4104, 4096]}},"
                + "'hosts': [{'nqn': '" + H1 + "'}], 'subsystems': [" + sub(", 'allowed_hosts': ['" + H1 + "'], 'offload': {'ops': ['read', 'write']}")
                + "], 'ports': [{'id': 3, 'transport': 'rdma', 'address': '10.0.0.1', 'subsystems': ['" + S1 + "']}]}"));
        assertEquals(config, ConfigReader.read(ConfigWriter.toJson(config)));
        assertEquals(8, config.offloadProfile().capabilities().maxSrqNamespaces());
        assertEquals(java.util.Set.of(4096, 4104), config.offloadProfile().capabilities().lbaDataSizes());
    }

    @Test
    void theProfileWithoutTheLastCqeEventIsABuiltInModelWrittenBackByName() {
        TargetConfig config = ConfigReader.read(json(
                "{'offload_provider': {'name': 'emulated', 'profile': 'connectx5-class-no-last-cqe'}}"));
        assertFalse(config.offloadProfile().capabilities().qpLastNvmeCqeReached());
        assertEquals("connectx5-class-no-last-cqe", ConfigWriter.toJson(config).path("offload_provider").path("profile").asText());
        assertEquals(config, ConfigReader.read(ConfigWriter.toJson(config)));
    }

    @Test
    void aPortsPassthroughOfReadWriteSqesReachesThePortAndIsWrittenBack() {
        TargetConfig config = ConfigReader.read(json(
                "{'offload_provider': {'name': 'emulated', 'profile': {'passthrough_sqe_rw_service': true}},"
                + "'ports': [{'id': 3, 'transport': 'rdma', 'address': '10.0.0.1', 'offload_passthrough_sqe_rw': 1},"
                + "{'id': 4, 'transport': 'rdma', 'address': '10.0.0.2'}]}"));
        assertTrue(config.ports().get(0).toPort().offloadPassthroughSqeRw());
        assertFalse(config.ports().get(1).toPort().offloadPassthroughSqeRw(), "0 unless asked");
        var written = ConfigWriter.toJson(config);
        assertEquals(1, written.at("/ports/0/offload_passthrough_sqe_rw").asInt());
        assertEquals(0, written.at("/ports/1/offload_passthrough_sqe_rw").asInt(), "the default is written too");
        assertEquals(config, ConfigReader.read(written));
    }
}
