package io.nvmfoffload.verbs.ffi;

import java.lang.foreign.StructLayout;
import java.util.List;

import static io.nvmfoffload.verbs.ffi.CLayouts.offset;
import static io.nvmfoffload.verbs.ffi.CLayouts.s32;
import static io.nvmfoffload.verbs.ffi.CLayouts.struct;
import static io.nvmfoffload.verbs.ffi.CLayouts.u16;

/** The libc structs used to wait on the verbs' file descriptors. */
public final class LibcLayouts {
    private LibcLayouts() {}

    public static final StructLayout POLLFD = struct("pollfd",
            s32("fd"),
            u16("events"),
            u16("revents"));

    public static final List<CType> TYPES = List.of(new CType("struct pollfd", "poll.h", POLLFD));

    public static final long POLLFD_FD = offset(POLLFD, "fd");
    public static final long POLLFD_EVENTS = offset(POLLFD, "events");
    public static final long POLLFD_REVENTS = offset(POLLFD, "revents");
}
