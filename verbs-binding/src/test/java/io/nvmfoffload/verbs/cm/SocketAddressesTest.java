package io.nvmfoffload.verbs.cm;

import io.nvmfoffload.verbs.ffi.CmLayouts;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SocketAddressesTest {
    @Test
    void anIpv4AddressBecomesASockaddrInWithThePortInNetworkOrder() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("169.254.77.1"), 4420);
            MemorySegment s = SocketAddresses.toNative(arena, address);

            assertEquals(2, s.get(JAVA_SHORT, 0));
            assertArrayEquals(new byte[] {0x11, 0x44}, s.asSlice(2, 2).toArray(JAVA_BYTE));
            assertArrayEquals(new byte[] {(byte) 169, (byte) 254, 77, 1}, s.asSlice(4, 4).toArray(JAVA_BYTE));
            assertEquals(address, SocketAddresses.fromNative(s));
        }
    }

    @Test
    void anIpv6AddressRoundTrips() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("fe80::1"), 65535);
            assertEquals(address, SocketAddresses.fromNative(SocketAddresses.toNative(arena, address)));
        }
    }

    @Test
    void anUnboundAddressReadsAsNull() {
        try (Arena arena = Arena.ofConfined()) {
            assertNull(SocketAddresses.fromNative(arena.allocate(CmLayouts.SOCKADDR_STORAGE)));
        }
    }

    @Test
    void anUnresolvedNameIsRefused() {
        try (Arena arena = Arena.ofConfined()) {
            assertThrows(IllegalArgumentException.class,
                    () -> SocketAddresses.toNative(arena, InetSocketAddress.createUnresolved("peer", 1)));
        }
    }
}
