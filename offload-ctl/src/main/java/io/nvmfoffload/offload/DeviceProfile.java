package io.nvmfoffload.offload;

import io.nvmfoffload.verbs.nvmf.NvmfCapabilities;
import io.nvmfoffload.verbs.nvmf.OffloadTypeCapability;

import java.util.EnumSet;
import java.util.Set;

/**
 * The NVMf offload capabilities the emulated provider reports for a device. The numbers are a model
 * of a ConnectX-5-class card chosen to respect what the shipped stack enforces (powers of two,
 * staging buffer of at least 8 MiB, 30 s default command timeout inside the bounds); they are not
 * read from hardware. The connectx5-class model maps blocks of 512 and 4096 bytes, and those with 8
 * (protection information) or 64 bytes of metadata interleaved; ibv_map_nvmf_nsid answers ENOTSUP
 * for any other lba_data_size. The no-last-cqe variant is that card without
 * QP_LAST_NVME_CQE_REACHED, so that queue teardown is exercised both ways; the tiny profile exists
 * to hit every limit in tests.
 */
public record DeviceProfile(String name, NvmfCapabilities capabilities) {

    public static DeviceProfile connectX5Class() {
        return new DeviceProfile("connectx5-class", new NvmfCapabilities(
                EnumSet.allOf(OffloadTypeCapability.class), Set.of(),
                64, 16, 32,
                8L << 20, 1L << 30,
                128L << 10,
                32, 1024,
                4, (64 + 8192) / 16, 0,
                1_000_000L, 120_000_000L,
                0, false, true,
                Set.of(512, 520, 576, 4096, 4104, 4160)));
    }

    /** {@link #connectX5Class()} without {@code qp_last_nvme_cqe_reached}: its drain raises no event. */
    public static DeviceProfile connectX5ClassWithoutLastCqe() {
        NvmfCapabilities c = connectX5Class().capabilities();
        return new DeviceProfile("connectx5-class-no-last-cqe", new NvmfCapabilities(c.rcOffloadTypes(), c.dcOffloadTypes(),
                c.maxBackendCtrlsTotal(), c.maxSrqBackendCtrls(), c.maxSrqNamespaces(), c.minStagingBufSize(), c.maxStagingBufSize(),
                c.maxIoSize(), c.minNvmeQueueDepth(), c.maxNvmeQueueDepth(), c.minIoccsz(), c.maxIoccsz(), c.maxIcdoff(),
                c.minCommandTimeoutUs(), c.maxCommandTimeoutUs(), c.maxFrontendNsid(), c.passthroughSqeRwService(), false,
                c.lbaDataSizes()));
    }

    public static DeviceProfile tiny() {
        return new DeviceProfile("tiny", new NvmfCapabilities(
                EnumSet.of(OffloadTypeCapability.READ_WRITE), Set.of(),
                2, 2, 2,
                8L << 20, 16L << 20,
                16L << 10,
                16, 64,
                4, (64 + 4096) / 16, 0,
                1_000_000L, 60_000_000L,
                8, false, true,
                Set.of(512, 4096)));
    }

    public static DeviceProfile named(String name) {
        return switch (name) {
            case "connectx5-class" -> connectX5Class();
            case "connectx5-class-no-last-cqe" -> connectX5ClassWithoutLastCqe();
            case "tiny" -> tiny();
            default -> throw new IllegalArgumentException("unknown device profile '" + name
                    + "': expected connectx5-class, connectx5-class-no-last-cqe or tiny");
        };
    }
}
