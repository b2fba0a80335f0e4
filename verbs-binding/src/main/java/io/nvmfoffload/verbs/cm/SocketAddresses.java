package io.nvmfoffload.verbs.cm;

import io.nvmfoffload.verbs.ffi.CLayouts;
import io.nvmfoffload.verbs.ffi.CmLayouts;
import io.nvmfoffload.verbs.ffi.NativeConstants;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/** Conversion between {@link InetSocketAddress} and {@code struct sockaddr_in} / {@code sockaddr_in6}. */
final class SocketAddresses {
    private static final long SIN_PORT = CLayouts.offset(CmLayouts.SOCKADDR_IN, "sin_port");
    private static final long SIN_ADDR = CLayouts.offset(CmLayouts.SOCKADDR_IN, "sin_addr");
    private static final long SIN6_PORT = CLayouts.offset(CmLayouts.SOCKADDR_IN6, "sin6_port");
    private static final long SIN6_ADDR = CLayouts.offset(CmLayouts.SOCKADDR_IN6, "sin6_addr");
    private static final long SIN6_SCOPE = CLayouts.offset(CmLayouts.SOCKADDR_IN6, "sin6_scope_id");

    private SocketAddresses() {}

    static MemorySegment toNative(Arena arena, InetSocketAddress address) {
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("address " + address + " is unresolved; rdma_cm needs an IP address");
        }
        MemorySegment s = arena.allocate(CmLayouts.SOCKADDR_STORAGE);
        InetAddress ip = address.getAddress();
        short port = Short.reverseBytes((short) address.getPort());
        if (ip instanceof Inet4Address) {
            s.set(JAVA_SHORT, 0, (short) NativeConstants.AF_INET);
            s.set(JAVA_SHORT, SIN_PORT, port);
            MemorySegment.copy(MemorySegment.ofArray(ip.getAddress()), 0, s, SIN_ADDR, 4);
        } else {
            s.set(JAVA_SHORT, 0, (short) NativeConstants.AF_INET6);
            s.set(JAVA_SHORT, SIN6_PORT, port);
            MemorySegment.copy(MemorySegment.ofArray(ip.getAddress()), 0, s, SIN6_ADDR, 16);
            s.set(JAVA_INT, SIN6_SCOPE, ((Inet6Address) ip).getScopeId());
        }
        return s;
    }

    /** Reads a sockaddr; null for AF_UNSPEC (an id that is not bound or resolved yet). */
    static InetSocketAddress fromNative(MemorySegment sockaddr) {
        MemorySegment s = sockaddr.reinterpret(CmLayouts.SOCKADDR_STORAGE.byteSize());
        int family = Short.toUnsignedInt(s.get(JAVA_SHORT, 0));
        try {
            if (family == NativeConstants.AF_INET) {
                byte[] ip = s.asSlice(SIN_ADDR, 4).toArray(JAVA_BYTE);
                return new InetSocketAddress(InetAddress.getByAddress(ip), Short.toUnsignedInt(Short.reverseBytes(s.get(JAVA_SHORT, SIN_PORT))));
            }
            if (family == NativeConstants.AF_INET6) {
                byte[] ip = s.asSlice(SIN6_ADDR, 16).toArray(JAVA_BYTE);
                return new InetSocketAddress(Inet6Address.getByAddress(null, ip, s.get(JAVA_INT, SIN6_SCOPE)),
                        Short.toUnsignedInt(Short.reverseBytes(s.get(JAVA_SHORT, SIN6_PORT))));
            }
            return null;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
