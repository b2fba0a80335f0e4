package io.nvmfoffload.nvmf.transport.tcp;

import io.nvmfoffload.nvmf.HostLog;
import io.nvmfoffload.nvmf.Port;
import io.nvmfoffload.nvmf.TransportType;
import io.nvmfoffload.nvmf.core.TargetCore;
import io.nvmfoffload.nvmf.transport.PortListener;
import io.nvmfoffload.nvmf.transport.buffer.DataBufferPool;
import io.nvmfoffload.nvmf.transport.buffer.DataBufferUse;
import io.nvmfoffload.nvmf.transport.tcp.ddp.UlpDdpDevice;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An NVMe/TCP listener on one port; every accepted connection is a queue pair on a thread of its own.
 * The listener has its receive offload model ({@link UlpDdpDevice}), as a NIC has its ULP DDP
 * capabilities, which its connections take at ICReq.
 */
public final class TcpTransport implements PortListener {
    private static final System.Logger LOG = System.getLogger(TcpTransport.class.getName());

    private final TargetCore core;
    private final Port port;
    private final ServerSocketChannel server;
    private final UlpDdpDevice ddp;
    private final TcpCounters counters = new TcpCounters();
    private final Set<TcpConnection> connections = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private final DataBufferPool pool;
    /** One block of native memory per connection, reused (bounded by max_connections_per_port). */
    private final ConnectionMemoryPool memoryPool;
    private final HostLog hostLog = new HostLog(System.getLogger(TcpConnection.class.getName()));
    private final java.util.concurrent.ScheduledExecutorService watchdog;
    private volatile boolean closing;

    /** A listener whose receive offload model has the connectx5-class limits, every capability active. */
    public TcpTransport(TargetCore core, Port port) {
        this(core, port, UlpDdpDevice.emulated("tcp port " + port.id() + " (" + port.address() + ":" + port.serviceId() + ")",
                "connectx5-class"));
    }

    public TcpTransport(TargetCore core, Port port, UlpDdpDevice ddp) {
        this.ddp = ddp;
        if (port.transport() != TransportType.TCP) {
            throw new IllegalArgumentException(port + " is not a tcp port");
        }
        this.core = core;
        this.port = port;
        this.pool = new DataBufferPool(core.target().limits().dataBufferPoolBytes(), port.maxIoSize(), DataBufferPool.Registrar.NONE);
        this.memoryPool = new ConnectionMemoryPool(ConnectionMemory.blockBytes(port));
        try {
            server = ServerSocketChannel.open();
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(new InetSocketAddress(port.address(), port.serviceId()), 128);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for NVMe/TCP on " + port.address() + ":" + port.serviceId()
                    + " (" + port + "): " + e.getMessage(), e);
        }
        acceptor = Thread.ofPlatform().daemon().name("nvmf-tcp-accept-" + port.id()).start(this::acceptLoop);
        watchdog = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("nvmf-tcp-watchdog-" + port.id()).factory());
        watchdog.scheduleWithFixedDelay(this::closeOverdue, WATCHDOG_MILLIS, WATCHDOG_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
        LOG.log(System.Logger.Level.INFO, "listening on {0}", port);
    }

    @Override
    public Port port() {
        return port;
    }

    /** The listener's receive offload model: capabilities, limits, statistics. */
    public UlpDdpDevice ddp() {
        return ddp;
    }

    /** The port actually bound (useful when the configured service id is 0 in tests). */
    public int boundPort() {
        try {
            return ((InetSocketAddress) server.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How often connections are checked against the connect and PDU timeouts. */
    static final long WATCHDOG_MILLIS = 250;

    private void acceptLoop() {
        while (!closing) {
            try {
                SocketChannel channel = server.accept();
                int max = core.target().limits().maxConnectionsPerPort();
                if (connections.size() >= max) {
                    hostLog.log(System.Logger.Level.WARNING, "{0}: refused a connection from {1}: {2} connections open (max_connections_per_port)",
                            port, remote(channel), connections.size());
                    channel.close();
                    continue;
                }
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                TcpConnection[] holder = new TcpConnection[1];
                TcpConnection connection = new TcpConnection(core, port, channel, ddp, counters, pool, memoryPool, hostLog,
                        () -> connections.remove(holder[0]));
                holder[0] = connection;
                connections.add(connection);
                // A platform thread blocked in read() is woken by the kernel itself, a virtual one through the
                // JDK's poller and a carrier thread; a target has a few queues per host, so a thread each is cheap.
                Thread.ofPlatform().daemon().name("nvmf-tcp-queue-" + port.id()).start(connection);
            } catch (IOException e) {
                if (!closing) {
                    LOG.log(System.Logger.Level.WARNING, "{0}: accept failed: {1}", port, e.getMessage());
                }
            }
        }
    }

    private static String remote(SocketChannel channel) {
        try {
            return String.valueOf(channel.getRemoteAddress());
        } catch (IOException e) {
            return "an unknown peer";
        }
    }

    /** Closes connections that passed the connect or PDU timeout (see {@link TcpConnection#overdue}). */
    private void closeOverdue() {
        io.nvmfoffload.nvmf.HostLimits limits = core.target().limits();
        long now = System.nanoTime();
        for (TcpConnection c : connections) {
            String why = c.deadlines().overdue(now, limits);
            if (why != null) {
                c.disconnect(why);
            }
        }
    }

    /** The port's data buffers now: pool size, memory made so far, bytes connections hold (their own buffers included). */
    @Override
    public DataBufferUse dataBuffers() {
        return pool.use(0);
    }

    /** Blocks of connection memory made so far: at most the most connections open at once. */
    int connectionMemoryBlocksMade() {
        return memoryPool.made();
    }

    /** Read data sent straight from file stores' page cache (sendfile), never copied through user space. */
    public long bytesSentFromFiles() {
        return counters.bytesSentFromFiles.sum();
    }

    /** Successful reads answered by their C2HData alone (SUCCESS flag), the host having disabled SQ flow control. */
    public long completionsInDataPdu() {
        return counters.completionsInDataPdu.sum();
    }

    @Override
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
        // The kernel keeps the socket listening until the acceptor's accept() returns (the system
        // call holds it): wait, so that the port refuses connections once close() returns and a
        // connection accepted meanwhile is disconnected below with the others.
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        watchdog.shutdownNow();
        for (TcpConnection c : connections) {
            c.disconnect("the port is closing");
        }
        // connections return their buffers as their readers end; wait for them before freeing
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (!connections.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (connections.isEmpty()) {
            pool.close();
            memoryPool.close();
        } else {
            LOG.log(System.Logger.Level.WARNING, "{0}: {1} connections still closing; their data buffers stay allocated", port, connections.size());
        }
    }
}
