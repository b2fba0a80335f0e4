package io.nvmfoffload.target.transport.tcp;

import io.nvmfoffload.target.Port;
import io.nvmfoffload.target.TransportType;
import io.nvmfoffload.target.core.TargetCore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** An NVMe/TCP listener on one port; every accepted connection is a queue pair on a virtual thread. */
public final class TcpTransport implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TcpTransport.class.getName());

    private final TargetCore core;
    private final Port port;
    private final ServerSocketChannel server;
    private final Set<TcpConnection> connections = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closing;

    public TcpTransport(TargetCore core, Port port) {
        if (port.transport() != TransportType.TCP) {
            throw new IllegalArgumentException(port + " is not a tcp port");
        }
        this.core = core;
        this.port = port;
        try {
            server = ServerSocketChannel.open();
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(new InetSocketAddress(port.address(), port.serviceId()), 128);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for NVMe/TCP on " + port.address() + ":" + port.serviceId()
                    + " (" + port + "): " + e.getMessage(), e);
        }
        acceptor = Thread.ofPlatform().daemon().name("nvmf-tcp-accept-" + port.id()).start(this::acceptLoop);
        LOG.log(System.Logger.Level.INFO, "listening on {0}", port);
    }

    public Port port() {
        return port;
    }

    /** The port actually bound (useful when the configured service id is 0 in tests). */
    public int boundPort() {
        try {
            return ((InetSocketAddress) server.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void acceptLoop() {
        while (!closing) {
            try {
                SocketChannel channel = server.accept();
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                TcpConnection[] holder = new TcpConnection[1];
                TcpConnection connection = new TcpConnection(core, port, channel, () -> connections.remove(holder[0]));
                holder[0] = connection;
                connections.add(connection);
                Thread.ofVirtual().name("nvmf-tcp-queue").start(connection);
            } catch (IOException e) {
                if (!closing) {
                    LOG.log(System.Logger.Level.WARNING, "{0}: accept failed: {1}", port, e.getMessage());
                }
            }
        }
    }

    public int connectionCount() {
        return connections.size();
    }

    @Override
    public void close() {
        closing = true;
        try {
            server.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: close: {1}", port, e.getMessage());
        }
        for (TcpConnection c : connections) {
            c.disconnect("the port is closing");
        }
    }
}
