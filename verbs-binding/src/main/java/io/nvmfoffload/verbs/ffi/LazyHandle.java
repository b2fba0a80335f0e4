package io.nvmfoffload.verbs.ffi;

import java.lang.invoke.MethodHandle;
import java.util.function.Supplier;

/**
 * A downcall handle linked on first use. Linking spins classes, which costs a few milliseconds per
 * function on a normal machine and far more in an emulated guest; a program that calls ten of the
 * binding's fifty functions should pay for ten. Hot-path handles stay eager {@code static final}
 * fields instead, so that the JIT can inline through them.
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
