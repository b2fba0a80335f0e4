package io.nvmfoffload.ctl.rpc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nvmfoffload.ctl.config.ConfigWriter;
import io.nvmfoffload.ctl.config.ProviderConfig;
import io.nvmfoffload.offload.DeviceProfile;
import io.nvmfoffload.verbs.DeviceContext;
import io.nvmfoffload.verbs.DeviceReport;
import io.nvmfoffload.verbs.RdmaDevice;
import io.nvmfoffload.verbs.RdmaDevices;
import io.nvmfoffload.verbs.Verbs;
import io.nvmfoffload.verbs.nvmf.NvmfOffload;
import io.nvmfoffload.verbs.nvmf.NvmfOffloadProviders;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The devices and caps reports, shared by the local commands and the management API. */
public final class DeviceInfo {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DeviceInfo() {}

    public static ObjectNode devices() {
        String reason = Verbs.unavailableReason().orElse(null);
        List<DeviceReport> reports = Verbs.libraryLoaded() ? RdmaDevices.reportAll() : List.of();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("devices", reports);
        doc.put("unavailableReason", reason);
        ObjectNode r = JSON.valueToTree(doc);
        var offload = r.putArray("offload");
        reports.forEach(d -> offload.add(offloadSummary(d.device().name())));
        return r;
    }

    /** The device's offload provider and whether it can offload; a device that cannot be opened says why. */
    public static ObjectNode offloadSummary(String device) {
        ObjectNode o = JSON.createObjectNode().put("device", device);
        try {
            ObjectNode caps = caps(device, null);
            o.put("provider", caps.path("provider").asText()).put("offload_supported", caps.path("offload_supported").asBoolean());
        } catch (RuntimeException e) {
            o.put("error", e.getMessage());
        }
        return o;
    }

    /**
     * A device's NVMf offload capabilities as its provider reports them; with {@code profile}, the
     * numbers the emulated provider would report with that device profile (a model, said so). The
     * device may be null with a profile: the profile alone is shown.
     */
    public static ObjectNode caps(String device, String profile) {
        ObjectNode r = JSON.createObjectNode();
        if (device != null) {
            RdmaDevice d = find(device);
            r.put("device", d.name());
            if (profile == null) {
                try (DeviceContext ctx = d.open(); NvmfOffload offload = NvmfOffloadProviders.open(ctx)) {
                    r.put("provider", offload.providerName());
                    r.put("source", "reported by the " + offload.providerName() + " provider for this device");
                    r.set("capabilities", ConfigWriter.capabilities(offload.capabilities()));
                    r.put("offload_supported", offload.capabilities().offloadSupported());
                }
                return r;
            }
        }
        DeviceProfile p = DeviceProfile.named(profile);
        r.put("provider", ProviderConfig.EMULATED).put("profile", p.name());
        r.put("source", "the emulated provider's " + p.name() + " profile: model numbers, not read from hardware");
        r.set("capabilities", ConfigWriter.capabilities(p.capabilities()));
        r.put("offload_supported", p.capabilities().offloadSupported());
        return r;
    }

    private static RdmaDevice find(String name) {
        String reason = Verbs.unavailableReason().orElse(null);
        if (reason != null) {
            throw new IllegalArgumentException("no RDMA device " + name + ": " + reason);
        }
        return RdmaDevices.find(name).orElseThrow(() -> new IllegalArgumentException("no RDMA device " + name + "; devices here: "
                + RdmaDevices.list().stream().map(RdmaDevice::name).toList()));
    }
}
