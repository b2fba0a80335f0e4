package io.nvmfoffload.nvme.store;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

/**
 * fallocate(2) through FFM, so deallocation punches holes (thin provisioning, and a whole-device
 * discard from mkfs stays cheap) instead of writing zeros. FileChannel hides its descriptor, so
 * this keeps its own O_RDWR descriptor on the same file. Where libc or the call is missing, the
 * store falls back to writing zeros.
 */
@SuppressWarnings("restricted")
final class LinuxFallocate implements AutoCloseable {
    static final int FALLOC_FL_KEEP_SIZE = 0x01;
    static final int FALLOC_FL_PUNCH_HOLE = 0x02;
    static final int FALLOC_FL_ZERO_RANGE = 0x10;

    private static final int O_RDWR = 2;
    private static final int O_CLOEXEC = 0x80000;
    private static final int EOPNOTSUPP = 95;
    private static final int ENOSYS = 38;
    private static final int EINVAL = 22;

    private static final MethodHandle OPEN;
    private static final MethodHandle FALLOCATE;
    private static final MethodHandle CLOSE;
    private static final StructLayout CAPTURE;
    private static final VarHandle ERRNO;

    static {
        MethodHandle open = null;
        MethodHandle fallocate = null;
        MethodHandle close = null;
        StructLayout capture = null;
        VarHandle errno = null;
        try {
            if (System.getProperty("os.name", "").toLowerCase().contains("linux")) {
                Linker linker = Linker.nativeLinker();
                var libc = linker.defaultLookup();
                Linker.Option ccs = Linker.Option.captureCallState("errno");
                capture = Linker.Option.captureStateLayout();
                errno = capture.varHandle(MemoryLayout.PathElement.groupElement("errno"));
                open = linker.downcallHandle(libc.find("open").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
                        ccs, Linker.Option.firstVariadicArg(2));
                fallocate = linker.downcallHandle(libc.find("fallocate").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                                ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG), ccs);
                close = linker.downcallHandle(libc.find("close").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            }
        } catch (RuntimeException | LinkageError e) {
            open = null;
        }
        OPEN = open;
        FALLOCATE = fallocate;
        CLOSE = close;
        CAPTURE = capture;
        ERRNO = errno;
    }

    private final int fd;
    private volatile boolean supported = true;

    private LinuxFallocate(int fd) {
        this.fd = fd;
    }

    /** Opens a descriptor for {@code path}, or returns null where fallocate cannot be used. */
    static LinuxFallocate open(Path path) {
        if (OPEN == null) {
            return null;
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(CAPTURE);
            int fd = (int) OPEN.invokeExact(state, a.allocateFrom(path.toString()), O_RDWR | O_CLOEXEC);
            return fd < 0 ? null : new LinuxFallocate(fd);
        } catch (Throwable t) {
            return null;
        }
    }

    /**
     * @return 0 on success, -1 if this file system does not support the mode (use the fallback),
     *         or the errno of a real failure
     */
    int fallocate(int mode, long offset, long length) {
        if (!supported) {
            return -1;
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(CAPTURE);
            int rc = (int) FALLOCATE.invokeExact(state, fd, mode, offset, length);
            if (rc == 0) {
                return 0;
            }
            int errno = (int) ERRNO.get(state, 0L);
            if (errno == EOPNOTSUPP || errno == ENOSYS || errno == EINVAL) {
                supported = false;
                return -1;
            }
            return errno;
        } catch (Throwable t) {
            supported = false;
            return -1;
        }
    }

    @Override
    public void close() {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            // Nothing to recover: the descriptor is gone either way.
        }
    }
}
