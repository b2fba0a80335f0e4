package io.nvmfoffload.verbs.ffi;

import java.lang.invoke.MethodHandle;
import java.util.function.Supplier;

/**
 * A downcall handle linked on first use. Linking spins classes, which is slow (very slow in an
 * emulated guest); a program that calls ten of the binding's functions should pay for ten, not for
 * all of them. Hot-path handles stay eager {@code static final} fields instead, so that the JIT can
 * inline through them.
 */
final class LazyHandle {
    private final Supplier<MethodHandle> factory;
    private volatile MethodHandle handle;

    LazyHandle(Supplier<MethodHandle> factory) {
        this.factory = factory;
    }

    MethodHandle get() {
        MethodHandle h = handle;
        if (h == null) {
            synchronized (this) {
                h = handle;
                if (h == null) {
                    handle = h = factory.get();
                }
            }
        }
        return h;
    }
}
