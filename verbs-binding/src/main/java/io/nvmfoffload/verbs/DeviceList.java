package io.nvmfoffload.verbs;

import io.nvmfoffload.verbs.ffi.IbvLayouts;
import io.nvmfoffload.verbs.ffi.Libibverbs;
import io.nvmfoffload.verbs.ffi.Native;
import io.nvmfoffload.verbs.ffi.StructView;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * One use of the C device list: {@code ibv_get_device_list}, something done with the
 * {@code struct ibv_device} pointers, {@code ibv_free_device_list}. The pointers are valid only in
 * between, so nothing here lets them escape (an opened context keeps its device alive by itself).
 */
final class DeviceList {
    private DeviceList() {}

    /** The devices, or why there are none. */
    record Probe(List<RdmaDevice> devices, Optional<String> problem) {}

    static Probe probe() {
        return withList(pointers -> {
            List<RdmaDevice> devices = new ArrayList<>();
            for (MemorySegment p : pointers) {
                devices.add(describe(p));
            }
            return devices;
        });
    }

    /** Runs {@code action} on the open list; the probe's problem says why the list is empty. */
    static Probe withList(Function<List<MemorySegment>, List<RdmaDevice>> action) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(JAVA_INT);
            MemorySegment list = Libibverbs.ibv_get_device_list(count);
            if (list.address() == 0) {
                int errno = Native.errno();
                String why = errno == Errno.ENOSYS.value()
                        ? "the kernel has no RDMA support (no /sys/class/infiniband; ib_uverbs is not loaded)"
                        : "see the errno";
                return new Probe(List.of(), Optional.of("libibverbs is installed but ibv_get_device_list failed: "
                        + Errno.display(errno) + ": " + why));
            }
            try {
                int n = count.get(JAVA_INT, 0);
                MemorySegment array = list.reinterpret(ADDRESS.byteSize() * (n + 1L));
                List<MemorySegment> pointers = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    pointers.add(array.getAtIndex(ADDRESS, i).reinterpret(IbvLayouts.IBV_DEVICE.byteSize()));
                }
                List<RdmaDevice> devices = action.apply(pointers);
                Optional<String> problem = n == 0
                        ? Optional.of("libibverbs is installed but there is no RDMA device (ibv_get_device_list returned none); "
                        + "load an RDMA driver, or add a soft-RoCE device: rdma link add rxe0 type rxe netdev <netdev>")
                        : Optional.empty();
                return new Probe(devices, problem);
            } finally {
                Libibverbs.ibv_free_device_list(list);
            }
        }
    }

    static RdmaDevice describe(MemorySegment device) {
        StructView d = StructView.at(device, IbvLayouts.IBV_DEVICE);
        return new RdmaDevice(
                d.string("name"),
                Guid.fromBigEndian(Libibverbs.ibv_get_device_guid(device)),
                NodeType.of(d.s32("node_type")),
                IbvTransportType.of(d.s32("transport_type")),
                d.string("dev_name"),
                d.string("ibdev_path"));
    }
}
