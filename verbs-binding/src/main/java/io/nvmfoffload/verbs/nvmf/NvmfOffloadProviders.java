package io.nvmfoffload.verbs.nvmf;

import io.nvmfoffload.verbs.DeviceContext;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Chooses the NVMf offload provider for a device: the supporting provider of highest priority,
 * falling back to "none". A caller that wants a given provider takes it {@link #byName}.
 */
public final class NvmfOffloadProviders {
    private static final List<NvmfOffloadProvider> REGISTERED = new CopyOnWriteArrayList<>();

    private NvmfOffloadProviders() {}

    /** Adds a provider that is not on the service path (tests, embedding applications). */
    public static void register(NvmfOffloadProvider provider) {
        if (all().stream().anyMatch(p -> p.name().equals(provider.name()))) {
            throw new IllegalArgumentException("an NVMf offload provider named '" + provider.name() + "' is already known");
        }
        REGISTERED.add(provider);
    }

    public static void unregister(NvmfOffloadProvider provider) {
        REGISTERED.remove(provider);
    }

    /** Every known provider, highest priority first; "none" is always among them. */
    public static List<NvmfOffloadProvider> all() {
        List<NvmfOffloadProvider> all = new ArrayList<>(REGISTERED);
        for (NvmfOffloadProvider p : ServiceLoader.load(NvmfOffloadProvider.class, NvmfOffloadProviders.class.getClassLoader())) {
            if (all.stream().noneMatch(q -> q.name().equals(p.name()))) {
                all.add(p);
            }
        }
        if (all.stream().noneMatch(p -> p.name().equals(NoneNvmfOffloadProvider.NAME))) {
            all.add(new NoneNvmfOffloadProvider());
        }
        all.sort(Comparator.comparingInt(NvmfOffloadProvider::priority).reversed());
        return all;
    }

    public static Optional<NvmfOffloadProvider> byName(String name) {
        return all().stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The provider that serves {@code context}. */
    public static NvmfOffloadProvider forDevice(DeviceContext context) {
        return all().stream().filter(p -> p.supports(context)).findFirst().orElseGet(NoneNvmfOffloadProvider::new);
    }

    /** The offload of {@code context}, from {@link #forDevice}. */
    public static NvmfOffload open(DeviceContext context) {
        return forDevice(context).open(context);
    }
}
