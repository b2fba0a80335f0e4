package io.nvmfoffload.ctl.config;

import io.nvmfoffload.nvme.store.NamespaceStore;
import io.nvmfoffload.nvmf.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApplyTest {
    private static final String H1 = "nqn.2014-08.org.nvmexpress:uuid:11111111-1111-4111-8111-111111111111";
    private static final String S1 = "nqn.2026-11.io.test:one";
    private static final String S2 = "nqn.2026-11.io.test:two";

    private final Target target = new Target();
    private final ConfigService service = new ConfigService(TargetControl.detached(target));

    private static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    private Plan apply(String doc) {
        return service.apply(ConfigReader.parse(json(doc)));
    }

    private static final String BASE = "{'offload_provider': {'name': 'emulated'}, 'hosts': [{'nqn': '" + H1 + "'}], 'subsystems': ["
            + "{'nqn': '" + S1 + "', 'serial': 'S1', 'allowed_hosts': ['" + H1 + "'], 'namespaces': ["
            + "{'nsid': 1, 'store': {'type': 'ram', 'size': '1MiB'}}, {'nsid': 2, 'store': {'type': 'ram', 'size': '1MiB', 'block_size': 512}}],"
            + " 'offload': {'ops': ['read', 'write'], 'staging_buffer_size': '8MiB'}}],"
            + " 'ports': [{'id': 1, 'transport': 'tcp', 'address': '127.0.0.1', 'subsystems': ['" + S1 + "']}]}";

    private List<String> ops(Plan plan) {
        return plan.steps().stream().map(Step::op).toList();
    }

    @Test
    void applyFollowsNvmetcliRestoreOrderHostsThenSubsystemsThenPorts() {
        Plan plan = apply(BASE);
        assertEquals(List.of("set_offload_provider", "add_host", "add_subsystem", "allow_host", "set_offload", "add_namespace",
                "add_namespace", "add_port", "link"), ops(plan));
        assertTrue(target.isExposed(1, S1));
        assertEquals(2, target.subsystem(S1).namespaces().size());
        assertNotNull(target.subsystem(S1).offload());
    }

    @Test
    void applyingTheSameDocumentAgainChangesNothing() {
        apply(BASE);
        NamespaceStore before = target.subsystem(S1).namespace(1).store();
        assertTrue(apply(BASE).isEmpty(), "a second apply of the same document is empty");
        assertSame(before, target.subsystem(S1).namespace(1).store(), "the RAM store (and its data) is kept");
    }

    @Test
    void onlyTheDifferenceIsApplied() {
        apply(BASE);
        Plan plan = apply(BASE.replace("'nsid': 2, 'store': {'type': 'ram', 'size': '1MiB', 'block_size': 512}",
                "'nsid': 3, 'store': {'type': 'ram', 'size': '2MiB'}"));
        assertEquals(List.of("remove_namespace", "add_namespace"), ops(plan));
        assertEquals(List.of(1, 3), target.subsystem(S1).namespaces().stream().map(ns -> ns.nsid()).toList());
    }

    @Test
    void changingOffloadUnlinksAndRelinksBecauseTheModelOnlyAllowsItUnexposed() {
        apply(BASE);
        Plan plan = apply(BASE.replace("'ops': ['read', 'write']", "'ops': ['read', 'write', 'flush']"));
        assertEquals(List.of("unlink", "set_offload", "link"), ops(plan));
        assertEquals(3, target.subsystem(S1).offload().ops().size());
        assertTrue(target.isExposed(1, S1));
    }

    @Test
    void aNamespacesOffloadCmdTmoChangesInPlaceAndIsSavedBack() {
        apply(BASE);
        NamespaceStore before = target.subsystem(S1).namespace(1).store();
        String withTimeout = BASE.replace("{'nsid': 1, 'store': {'type': 'ram', 'size': '1MiB'}}",
                "{'nsid': 1, 'store': {'type': 'ram', 'size': '1MiB'}, 'offload_cmd_tmo_us': 5000000}");
        assertEquals(List.of("set_namespace_offload_cmd_tmo"), ops(apply(withTimeout)));
        assertEquals(5_000_000L, target.subsystem(S1).namespace(1).offloadCommandTimeoutUs());
        assertSame(before, target.subsystem(S1).namespace(1).store(), "the store (and its data) stays");
        assertEquals(5_000_000L, service.currentDocument().at("/subsystems/0/namespaces/0/offload_cmd_tmo_us").asLong(),
                "save writes it back");
        assertTrue(service.currentDocument().at("/subsystems/0/namespaces/1/offload_cmd_tmo_us").isMissingNode(), "absent: 0");
        assertEquals(List.of("set_namespace_offload_cmd_tmo"), ops(apply(BASE)), "and back to the subsystem's");
        assertEquals(0, target.subsystem(S1).namespace(1).offloadCommandTimeoutUs());
    }

    @Test
    void removalsComeFirstInReverseDependencyOrder() {
        apply(BASE);
        Plan plan = apply("{'offload_provider': {'name': 'emulated'}}");
        assertEquals(List.of("unlink", "remove_port", "remove_namespace", "remove_namespace", "disallow_host", "remove_subsystem",
                "remove_host"), ops(plan));
        assertTrue(target.subsystems().isEmpty() && target.ports().isEmpty() && target.hosts().isEmpty());
    }

    @Test
    void aFailingStepRollsBackWhatThisApplyDidAndKeepsRemovedData(@TempDir Path dir) {
        apply(BASE);
        NamespaceStore ns2 = target.subsystem(S1).namespace(2).store();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment block = arena.allocate(512).fill((byte) 0x5A);
            ns2.write(0, 1, block);
        }
        TargetConfig before = service.current();
        String missing = dir.resolve("missing.img").toString();
        String broken = BASE.replace("'nsid': 2, 'store': {'type': 'ram', 'size': '1MiB', 'block_size': 512}",
                        "'nsid': 3, 'store': {'type': 'file', 'path': '" + missing + "'}")
                .replace("'hosts': [{'nqn': '" + H1 + "'}]", "'hosts': [{'nqn': '" + H1 + "'}, {'nqn': 'nqn.2014-08.org.x:h2'}]")
                .replace("'ports': [", "'ports': [{'id': 2, 'transport': 'tcp', 'address': '127.0.0.2'}, ");
        ApplyException e = assertThrows(ApplyException.class, () -> apply(broken));
        assertTrue(e.getMessage().contains("add namespace") && e.getMessage().contains("missing.img"), e.getMessage());
        assertTrue(e.undoFailures().isEmpty(), e.getMessage());
        assertEquals(before, service.current(), "the target is exactly as before the failed apply");
        assertSame(ns2, target.subsystem(S1).namespace(2).store(), "the removed namespace came back with its store");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment block = arena.allocate(512);
            ns2.read(0, 1, block);
            assertEquals(0x5A, block.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 100));
        }
    }

    @Test
    void changingTheSerialRecreatesTheSubsystem() {
        apply(BASE);
        Plan plan = apply(BASE.replace("'serial': 'S1'", "'serial': 'S1b'"));
        assertEquals("unlink", plan.steps().getFirst().op());
        assertTrue(ops(plan).contains("remove_subsystem") && ops(plan).contains("add_subsystem"), plan.toText());
        assertEquals("S1b", target.subsystem(S1).serial());
    }

    @Test
    void clearRemovesEveryObjectButKeepsTheProvider() {
        apply(BASE);
        service.clear();
        assertTrue(target.subsystems().isEmpty() && target.ports().isEmpty() && target.hosts().isEmpty());
        assertEquals(ProviderConfig.EMULATED, service.control().provider().name());
    }

    @Test
    void savedStateAppliedToAnEmptyTargetReproducesIt() {
        apply(BASE.replaceFirst("'subsystems': \\[", "'subsystems': [{'nqn': '" + S2 + "', 'allow_any_host': true}, ")
                .replace("'block_size': 512}", "'block_size': 512}, 'offload_cmd_tmo_us': 2000000"));
        TargetConfig saved = service.current();
        service.clear();
        service.apply(ConfigReader.read(ConfigWriter.toJson(saved)));
        assertEquals(saved, service.current());
        assertNull(target.subsystem(S2).offload());
        assertEquals(2_000_000L, target.subsystem(S1).namespace(2).offloadCommandTimeoutUs());
    }
}
