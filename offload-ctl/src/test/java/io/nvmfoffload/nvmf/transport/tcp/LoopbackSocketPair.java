package io.nvmfoffload.nvmf.transport.tcp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** Two connected blocking sockets on the loopback interface: the host's end and the target's. */
record LoopbackSocketPair(SocketChannel host, SocketChannel target) implements AutoCloseable {

    static LoopbackSocketPair open() throws IOException {
        try (ServerSocketChannel listener = ServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            SocketChannel host = SocketChannel.open(listener.getLocalAddress());
            return new LoopbackSocketPair(host, listener.accept());
        }
    }

    @Override
    public void close() throws IOException {
        host.close();
        target.close();
    }
}
