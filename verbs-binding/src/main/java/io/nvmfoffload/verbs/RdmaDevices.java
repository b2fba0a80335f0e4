package io.nvmfoffload.verbs;

import io.nvmfoffload.verbs.ffi.Libibverbs;
import io.nvmfoffload.verbs.ffi.Native;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The RDMA devices of this machine: the entry point of the binding.
 *
 * <pre>{@code
 * for (RdmaDevice d : RdmaDevices.list()) System.out.println(d.report().toText());
 * try (DeviceContext ctx = RdmaDevices.open("rxe0")) { ... }
 * }</pre>
 */
public final class RdmaDevices {
    private RdmaDevices() {}

    /**
     * The devices libibverbs sees; empty when there are none (then {@link Verbs#unavailableReason()}
     * says why). Throws {@link VerbsUnavailableException} when libibverbs is not installed.
     */
    public static List<RdmaDevice> list() {
        Verbs.requireLibrary();
        return DeviceList.probe().devices();
    }

    public static Optional<RdmaDevice> find(String name) {
        return list().stream().filter(d -> d.name().equals(name)).findFirst();
    }

    /** Opens every device and reports its attributes, ports and GIDs. */
    public static List<DeviceReport> reportAll() {
        List<DeviceReport> reports = new ArrayList<>();
        for (RdmaDevice d : list()) {
            reports.add(d.report());
        }
        return reports;
    }

    /** Opens a device by name; the message of the failure lists the devices there are. */
    public static DeviceContext open(String name) {
        Verbs.requireLibrary();
        AtomicReference<DeviceContext> opened = new AtomicReference<>();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        DeviceList.Probe probe = DeviceList.withList(pointers -> {
            List<RdmaDevice> seen = new ArrayList<>();
            for (MemorySegment p : pointers) {
                RdmaDevice d = DeviceList.describe(p);
                seen.add(d);
                if (d.name().equals(name) && opened.get() == null) {
                    MemorySegment ctx = Libibverbs.ibv_open_device(p);
                    if (ctx.address() == 0) {
                        failure.set(new VerbsException("ibv_open_device", Native.errno(), "device " + name));
                    } else {
                        opened.set(new DeviceContext(ctx, d, true));
                    }
                }
            }
            return seen;
        });
        if (failure.get() != null) {
            throw failure.get();
        }
        if (opened.get() == null) {
            List<String> names = probe.devices().stream().map(RdmaDevice::name).toList();
            throw new IllegalArgumentException("no RDMA device named '" + name + "'"
                    + (names.isEmpty() ? ": " + probe.problem().orElse("there are none") : "; devices: " + String.join(", ", names)));
        }
        return opened.get();
    }
}
