package io.nvmfoffload.offload.emulated;

import io.nvmfoffload.verbs.Errno;
import io.nvmfoffload.verbs.nvmf.BackendController;
import io.nvmfoffload.verbs.nvmf.NamespaceMapping;
import io.nvmfoffload.verbs.nvmf.NvmfOffloadException;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The errnos of an offload SRQ's verbs on the emulated provider (tiny profile: 2 backend
 * controllers per SRQ and 2 on the device, 2 namespaces per SRQ, fe_nsid up to 8, blocks of 512
 * and 4096 bytes): ibv_srq_create_nvme_ctrl, ibv_map_nvmf_nsid, ibv_unmap_nvmf_nsid,
 * ibv_srq_remove_nvme_ctrl and ibv_destroy_srq.
 */
class EmulatedNvmfSrqErrnoTest {
    @AutoClose
    private final EmulatedDevice device = new EmulatedDevice();

    private static Errno errnoOf(Runnable verb) {
        return EmulatedDevice.refusal(verb).error();
    }

    @Test
    void aControllerPastMaxSrqBackendCtrlsIsEinvalAndPastTheDeviceTotalEnospc() {
        EmulatedNvmfSrq a = device.srq();
        EmulatedNvmfSrq b = device.srq();
        BackendController first = a.createBackendController(device.backend());
        a.createBackendController(device.backend());

        NvmfOffloadException perSrq = EmulatedDevice.refusal(() -> a.createBackendController(device.backend()));
        assertEquals(Errno.EINVAL, perSrq.error(), "the SRQ's own limit, as the vendor kernel answers it");
        assertTrue(perSrq.getMessage().contains("max_srq_backend_ctrls"), perSrq.getMessage());
        NvmfOffloadException total = EmulatedDevice.refusal(() -> b.createBackendController(device.backend()));
        assertEquals(Errno.ENOSPC, total.error(), "a valid request on a device whose controllers other SRQs hold");
        assertTrue(total.getMessage().contains("max_backend_ctrls_total"), total.getMessage());

        first.close();
        b.createBackendController(device.backend());
    }

    @Test
    void backendAttributesOutsideTheSrqOrTheCapabilitiesAreEinval() {
        EmulatedNvmfSrq srq = device.srq();
        int depth = EmulatedDevice.QUEUE_DEPTH;
        assertEquals(Errno.EINVAL, errnoOf(() -> srq.createBackendController(device.backend(depth, 0, 0, 61_000_000L))),
                "a command timeout above max_command_timeout_us 60 s");
        assertEquals(Errno.EINVAL, errnoOf(() -> srq.createBackendController(device.backend(depth, 0, 0, 999_999L))),
                "a command timeout below min_command_timeout_us 1 s");
        assertEquals(Errno.EINVAL, errnoOf(() -> srq.createBackendController(device.backend(depth / 2, 0, 0, 0))),
                "shallower than the offload queue depth");
        assertEquals(Errno.EINVAL, errnoOf(() -> srq.createBackendController(device.backend(depth, depth, 0, 0))),
                "an initial SQ tail outside the queue");
        assertEquals(Errno.EINVAL, errnoOf(() -> srq.createBackendController(device.backend(depth, 0, -1, 0))),
                "an initial CQ head outside the queue");
        assertEquals(List.of(), srq.backendControllers(), "nothing was created");
    }

    @Test
    void aCommandTimeoutOfZeroIsTheDevicesDefaultAndAnyOtherIsKept() {
        EmulatedNvmfSrq srq = device.srq();
        var byDefault = (EmulatedBackendController) srq.createBackendController(device.backend());
        var asked = (EmulatedBackendController) srq.createBackendController(device.backend(EmulatedDevice.QUEUE_DEPTH, 0, 0, 5_000_000L));
        assertEquals(30_000_000_000L, byDefault.timeoutNanos, "the emulated device's own default: 30 s, within tiny's 1..60 s");
        assertEquals(5_000_000_000L, asked.timeoutNanos);
    }

    @Test
    void mapAndUnmapAnswerWithTheLimitsOfTheSrqAndTheProfile() {
        EmulatedNvmfSrq srq = device.srq();
        BackendController a = srq.createBackendController(device.backend());
        BackendController b = srq.createBackendController(device.backend());
        a.mapNamespace(new NamespaceMapping(1, 512, 1));

        assertEquals(Errno.EEXIST, errnoOf(() -> b.mapNamespace(new NamespaceMapping(1, 4096, 1))),
                "fe_nsid 1 is mapped in this SRQ's number space, to another controller");
        assertEquals(Errno.ENOTSUP, errnoOf(() -> b.mapNamespace(new NamespaceMapping(2, 4104, 1))),
                "4096 + 8 bytes of metadata: not in the tiny profile's lba_data_sizes");
        assertEquals(Errno.EINVAL, errnoOf(() -> b.mapNamespace(new NamespaceMapping(9, 512, 1))), "above max_frontend_nsid 8");
        b.mapNamespace(new NamespaceMapping(2, 4096, 1));
        assertEquals(Errno.ENOSPC, errnoOf(() -> b.mapNamespace(new NamespaceMapping(3, 512, 2))), "the SRQ's 2 namespaces");
        assertEquals(Errno.ENOENT, errnoOf(() -> b.unmapNamespace(1)), "mapped, but to another controller");
        a.unmapNamespace(1);
        assertEquals(Errno.ENOENT, errnoOf(() -> a.unmapNamespace(1)), "unmapped already");
        assertEquals(List.of(new NamespaceMapping(2, 4096, 1)), b.namespaces());
    }

    @Test
    void theSameFrontendNsidMapsOnAnotherSrq() {
        device.srq().createBackendController(device.backend()).mapNamespace(new NamespaceMapping(1, 512, 1));
        BackendController other = device.srq().createBackendController(device.backend());
        other.mapNamespace(new NamespaceMapping(1, 512, 1));
        assertEquals(1, other.namespaces().size());
    }

    @Test
    void removingAControllerUnmapsItsNamespacesAndTwiceDoesNothing() {
        EmulatedNvmfSrq srq = device.srq();
        BackendController a = srq.createBackendController(device.backend());
        a.mapNamespace(new NamespaceMapping(1, 512, 1));

        a.close();
        a.close();
        assertEquals(List.of(), srq.backendControllers());
        assertEquals(Errno.EINVAL, errnoOf(() -> a.mapNamespace(new NamespaceMapping(2, 512, 1))), "a removed controller");
        srq.createBackendController(device.backend()).mapNamespace(new NamespaceMapping(1, 512, 1));
    }

    @Test
    void destroyingAnSrqWithBackendControllersIsEbusy() {
        EmulatedNvmfSrq srq = device.srq();
        BackendController a = srq.createBackendController(device.backend());

        NvmfOffloadException busy = EmulatedDevice.refusal(srq::close);
        assertEquals(Errno.EBUSY, busy.error());
        assertTrue(busy.getMessage().startsWith("ibv_destroy_srq failed"), busy.getMessage());
        a.close();
        srq.close();
        srq.close();
        assertEquals(Errno.EINVAL, errnoOf(() -> srq.createBackendController(device.backend())), "a destroyed SRQ");
    }
}
