package io.nvmfoffload.ctl.config;

import io.nvmfoffload.ctl.rpc.ManagedTarget;
import io.nvmfoffload.ctl.rpc.OffloadStateSource;
import io.nvmfoffload.verbs.Verbs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A failed apply leaves a serving target exactly as it was: the saved document before and after is
 * the same text, offload provider included, whichever step fails.
 */
class ApplyRollbackTest {
    private static final String H1 = "nqn.2014-08.org.nvmexpress:uuid:11111111-1111-4111-8111-111111111111";
    private static final String H2 = "nqn.2014-08.org.nvmexpress:uuid:22222222-2222-4222-8222-222222222222";
    private static final String H3 = "nqn.2014-08.org.nvmexpress:uuid:33333333-3333-4333-8333-333333333333";
    private static final String S1 = "nqn.2026-11.io.test:one";
    private static final String S3 = "nqn.2026-11.io.test:three";
    private static final String S4 = "nqn.2026-11.io.test:four";
    private static final Set<String> EVERY_STEP_KIND = new TreeSet<>(List.of("add_host", "remove_host", "add_subsystem",
            "remove_subsystem", "set_allow_any_host", "allow_host", "disallow_host", "set_offload", "add_namespace",
            "remove_namespace", "add_port", "remove_port", "link", "unlink", "set_offload_provider"));

    @TempDir
    Path dir;
    private ManagedTarget target;

    /** Fails where it is inserted into a plan; never executed, so never undone. */
    private static final class InjectedFailure extends Step {
        InjectedFailure() {
            super("injected_failure");
        }

        @Override
        void execute(TargetControl control) {
            throw new IllegalStateException("injected failure");
        }

        @Override
        void undo(TargetControl control) {
            throw new AssertionError("a step that failed was undone");
        }
    }

    @AfterEach
    void stop() {
        if (target != null) {
            target.close();
        }
    }

    private static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private ConfigService serve(String doc) {
        target = ManagedTarget.start(ConfigReader.read(json(doc)), OffloadStateSource.NOT_REPORTED);
        return target.config();
    }

    /** What save writes. */
    private static String saved(ConfigService service) {
        return service.currentDocument().toPrettyString();
    }

    @Test
    void aFailureAfterAnyStepOfAnyKindLeavesTheSavedDocumentByteIdentical() throws Exception {
        int p1 = freePort();
        ConfigService service = serve("{'offload_provider': {'name': 'none'}, 'hosts': [{'nqn': '" + H1 + "'}, {'nqn': '" + H2 + "'}],"
                + " 'subsystems': [{'nqn': '" + S1 + "', 'serial': 'S1', 'allowed_hosts': ['" + H1 + "'], 'namespaces': ["
                + "{'nsid': 1, 'store': {'type': 'ram', 'size': '64KiB'}}, {'nsid': 2, 'store': {'type': 'ram', 'size': '64KiB'}}]},"
                + " {'nqn': '" + S3 + "', 'serial': 'S3', 'allow_any_host': true}],"
                + " 'ports': [{'id': 1, 'transport': 'tcp', 'address': '127.0.0.1', 'service_id': " + p1 + ", 'subsystems': ['" + S1
                + "', '" + S3 + "']}, {'id': 2, 'transport': 'tcp', 'address': '127.0.0.1', 'service_id': " + freePort() + "}]}");
        Path created = dir.resolve("ns3.img");
        TargetConfig desired = ConfigReader.read(json("{'offload_provider': {'name': 'emulated'},"
                + " 'hosts': [{'nqn': '" + H1 + "'}, {'nqn': '" + H3 + "'}],"
                + " 'subsystems': [{'nqn': '" + S1 + "', 'serial': 'S1', 'allow_any_host': true, 'allowed_hosts': ['" + H3 + "'],"
                + " 'namespaces': [{'nsid': 1, 'store': {'type': 'ram', 'size': '64KiB'}},"
                + " {'nsid': 3, 'store': {'type': 'file', 'path': '" + created + "', 'create_size': '64KiB'}}],"
                + " 'offload': {'ops': ['read', 'write'], 'staging_buffer_size': '8MiB'}}, {'nqn': '" + S4 + "', 'serial': 'S4'}],"
                + " 'ports': [{'id': 1, 'transport': 'tcp', 'address': '127.0.0.1', 'service_id': " + p1 + ", 'subsystems': ['" + S1 + "']},"
                + " {'id': 3, 'transport': 'tcp', 'address': '127.0.0.1', 'service_id': " + freePort() + ", 'subsystems': ['" + S4 + "']}]}"));
        String before = saved(service);
        Plan plan = Planner.plan(service.current(), desired);
        assertEquals(EVERY_STEP_KIND, new TreeSet<>(plan.steps().stream().map(Step::op).toList()), plan.toText());

        for (int failAt = 0; failAt <= plan.steps().size(); failAt++) {
            List<Step> steps = new ArrayList<>(Planner.plan(service.current(), desired).steps());
            String after = failAt == 0 ? "no step" : steps.get(failAt - 1).toString();
            steps.add(failAt, new InjectedFailure());
            ApplyException e = assertThrows(ApplyException.class, () -> Applier.apply(new Plan(steps), service.control()));
            assertEquals(List.of(), e.undoFailures(), "failing after " + after);
            assertEquals(before, saved(service), "failing after " + after);
            assertTrue(Files.notExists(created), "the file the apply created is gone again, failing after " + after);
        }
        service.apply(desired);
        assertTrue(Planner.plan(service.current(), desired).isEmpty(), "without the failure the plan applies whole");
    }

    @Test
    void aProviderChangeTheServerRefusesLeavesTheProviderAsItWas() {
        ConfigService service = serve("{'offload_provider': {'name': 'emulated'}}");
        target.server().offloads(); // as an RDMA port starts it: from then on the provider is fixed
        String before = saved(service);
        ApplyException e = assertThrows(ApplyException.class,
                () -> service.edit(DocumentEdits.setProvider(ConfigReader.parse(json("{'name': 'none'}")))));
        assertTrue(e.getMessage().contains("the target is as it was"), e.getMessage());
        assertEquals(before, saved(service));
        assertEquals(ProviderConfig.EMULATED, service.control().provider().name());
    }

    @Test
    void anRdmaPortThatCannotListenLeavesTheProviderItCameWithUndone() {
        assumeTrue(Verbs.unavailableReason().isPresent(), "needs a machine without usable RDMA verbs");
        ConfigService service = serve("{}");
        String before = saved(service);
        ApplyException e = assertThrows(ApplyException.class, () -> service.apply(ConfigReader.parse(json(
                "{'offload_provider': {'name': 'emulated'}, 'ports': [{'id': 7, 'transport': 'rdma', 'address': '127.0.0.1'}]}"))));
        assertTrue(e.getMessage().contains("cannot listen for NVMe/RDMA"), e.getMessage());
        assertEquals(List.of(), e.undoFailures());
        assertEquals(before, saved(service));
        assertEquals(null, target.server().offloadsIfStarted(), "no offload manager fixed the provider");
    }
}
