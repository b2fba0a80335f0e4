package io.nvmfoffload.verbs;

import io.nvmfoffload.verbs.ffi.Native;

import java.util.Optional;

/**
 * Whether RDMA verbs can be used on this machine, and if not, why. Callers that may run where there
 * is no RDMA (a laptop, a CI host) ask {@link #available()} and show {@link #unavailableReason()}.
 */
public final class Verbs {
    private Verbs() {}

    /** libibverbs could be loaded (the devices are a separate question). */
    public static boolean libraryLoaded() {
        return Native.ibverbsFailure().isEmpty();
    }

    /** librdmacm could be loaded. */
    public static boolean rdmaCmLoaded() {
        return Native.rdmacmFailure().isEmpty();
    }

    /** libibverbs is loaded and reports at least one RDMA device. */
    public static boolean available() {
        return unavailableReason().isEmpty();
    }

    /**
     * Why verbs cannot be used, or empty when they can: libibverbs missing, no RDMA support in the
     * kernel, or no device.
     */
    public static Optional<String> unavailableReason() {
        Optional<String> library = Native.ibverbsFailure();
        if (library.isPresent()) {
            return library;
        }
        return DeviceList.probe().problem();
    }

    /** Throws {@link VerbsUnavailableException} unless libibverbs is loaded. */
    public static void requireLibrary() {
        Native.ibverbsFailure().ifPresent(reason -> {
            throw new VerbsUnavailableException(reason);
        });
    }

    /** Throws {@link VerbsUnavailableException} unless librdmacm is loaded. */
    public static void requireRdmaCm() {
        requireLibrary();
        Native.rdmacmFailure().ifPresent(reason -> {
            throw new VerbsUnavailableException(reason);
        });
    }
}
