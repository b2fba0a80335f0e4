package io.nvmfoffload.verbs.nvmf;

import io.nvmfoffload.verbs.DeviceContext;

/**
 * A source of {@link NvmfOffload} for some devices: the "none" provider for any device, an emulated
 * one, or a vendor's. Providers are found with {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/io.nvmfoffload.verbs.nvmf.NvmfOffloadProvider}) or added with
 * {@link NvmfOffloadProviders#register}; callers go through {@link NvmfOffloadProviders} and never
 * name a provider class.
 */
public interface NvmfOffloadProvider {
    /** A short name callers can show, e.g. "none" or "emulated". Unique among providers. */
    String name();

    /** Among providers that support a device, the highest priority wins. "none" has the lowest possible. */
    int priority();

    /** Whether this provider can serve the device (e.g. by vendor id and firmware version). */
    boolean supports(DeviceContext context);

    /** The offload of one opened device. */
    NvmfOffload open(DeviceContext context);
}
