package io.nvmfoffload.verbs.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Optional;

/**
 * Loading of the native libraries and the plumbing shared by every downcall: errno capture and
 * calls through C function pointers.
 *
 * <p>errno is captured into a per-thread segment, so a wrapper can hand back the C return value
 * unchanged and the caller reads {@link #errno()} right after, without allocating.
 */
public final class Native {
    public static final String LIBIBVERBS = "libibverbs.so.1";
    public static final String LIBRDMACM = "librdmacm.so.1";

    static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(PathElement.groupElement("errno"));
    private static final ThreadLocal<MemorySegment> CAPTURE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE_LAYOUT));

    private static final Loaded IBVERBS = load(LIBIBVERBS, "rdma-core's libibverbs1 package (apt-get install libibverbs1 ibverbs-providers)");
    private static final Loaded RDMACM = load(LIBRDMACM, "rdma-core's librdmacm1 package (apt-get install librdmacm1)");

    private Native() {}

    private record Loaded(SymbolLookup lookup, String failure) {}

    private static Loaded load(String library, String install) {
        try {
            return new Loaded(SymbolLookup.libraryLookup(library, Arena.global()), null);
        } catch (IllegalArgumentException | IllegalCallerException e) {
            return new Loaded(null, library + " could not be loaded (" + e.getMessage() + "); install " + install);
        }
    }

    /** Why libibverbs cannot be used, or empty when it loaded. */
    public static Optional<String> ibverbsFailure() {
        return Optional.ofNullable(IBVERBS.failure);
    }

    /** Why librdmacm cannot be used, or empty when it loaded. */
    public static Optional<String> rdmacmFailure() {
        return Optional.ofNullable(RDMACM.failure);
    }

    static SymbolLookup ibverbs() {
        if (IBVERBS.lookup == null) {
            throw new IllegalStateException(IBVERBS.failure);
        }
        return IBVERBS.lookup;
    }

    static SymbolLookup rdmacm() {
        if (RDMACM.lookup == null) {
            throw new IllegalStateException(RDMACM.failure);
        }
        return RDMACM.lookup;
    }

    /** A downcall to an exported function whose errno is captured (first argument: the capture segment). */
    static MethodHandle withErrno(SymbolLookup lookup, String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(lookup.findOrThrow(name), descriptor, CAPTURE_ERRNO);
    }

    static MethodHandle plain(SymbolLookup lookup, String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(lookup.findOrThrow(name), descriptor);
    }

    static Optional<MethodHandle> optional(SymbolLookup lookup, String name, FunctionDescriptor descriptor) {
        return lookup.find(name).map(symbol -> LINKER.downcallHandle(symbol, descriptor));
    }

    /**
     * A handle that calls whatever function pointer it is given as its first argument, which is how
     * the static inline verbs of verbs.h reach the provider (e.g. {@code qp->context->ops.post_send}).
     */
    static MethodHandle functionPointer(FunctionDescriptor descriptor, Linker.Option... options) {
        return LINKER.downcallHandle(descriptor, options);
    }

    static MemorySegment captureState() {
        return CAPTURE.get();
    }

    /** errno as set by the last errno-capturing downcall on this thread. */
    public static int errno() {
        return (int) ERRNO.get(CAPTURE.get(), 0L);
    }

    /**
     * The errno a failed call stands for: libibverbs returns it directly (positive), most other
     * calls return -1 and set errno, and some provider paths return it negated.
     */
    public static int errnoOf(int returned) {
        if (returned > 0) {
            return returned;
        }
        if (returned == -1) {
            int e = errno();
            return e != 0 ? e : 1;
        }
        return -returned;
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("unexpected checked exception from a downcall", t);
    }
}
