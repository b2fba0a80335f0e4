package io.nvmfoffload.softroce.verbs;

import io.nvmfoffload.softroce.bed.Rxe;
import io.nvmfoffload.verbs.DeviceContext;
import io.nvmfoffload.verbs.QueuePair;
import io.nvmfoffload.verbs.cm.CmEvent;
import io.nvmfoffload.verbs.cm.CmEventChannel;
import io.nvmfoffload.verbs.cm.CmEventType;
import io.nvmfoffload.verbs.cm.CmId;
import io.nvmfoffload.verbs.cm.ConnectionParameters;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/**
 * A listener and its clients in one JVM, over rdma_cm on rxe0's address: the two ends of every
 * connection live here, each with its own event channel, so one thread can drive both sides step
 * by step. Resources the test creates are handed to {@link #track} and closed after the
 * connections, in reverse order, so that dependency order holds.
 */
final class Loopback implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final long TIMEOUT_MS = TIMEOUT.toMillis();

    final CmEventChannel serverChannel = CmEventChannel.create();
    final CmEventChannel clientChannel = CmEventChannel.create();
    final CmId listener;
    final InetSocketAddress address;
    private final Arena arena = Arena.ofShared();
    private final List<Connection> connections = new ArrayList<>();
    private final Deque<AutoCloseable> tracked = new ArrayDeque<>();

    /** Both ends of one RC connection and what each side saw while connecting. */
    record Connection(CmId client, CmId server, QueuePair clientQp, QueuePair serverQp,
                      CmEvent connectRequest, CmEvent clientEstablished) {}

    private Loopback(int port) {
        try {
            this.address = new InetSocketAddress(InetAddress.getByName(Rxe.address()), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        this.listener = serverChannel.listen(address, 8);
    }

    static Loopback listen(int port) {
        return new Loopback(port);
    }

    /** rxe0's context as librdmacm opened it; the listener is bound to it. */
    DeviceContext context() {
        return listener.context();
    }

    <T extends AutoCloseable> T track(T resource) {
        tracked.push(resource);
        return resource;
    }

    /** Page-aligned native memory that lives as long as this loopback. */
    MemorySegment allocate(long bytes) {
        return arena.allocate(bytes, 4096);
    }

    /**
     * Connects a new client: resolves, builds the client QP, connects with {@code clientData}; on the
     * server side waits for the request, builds the server QP, accepts with {@code serverData};
     * then waits until both ends are established. The builders should post receives.
     */
    Connection connect(Function<CmId, QueuePair> clientQp, Function<CmId, QueuePair> serverQp,
                       byte[] clientData, byte[] serverData) {
        CmId client = clientChannel.resolve(address, TIMEOUT);
        QueuePair cq = clientQp.apply(client);
        client.connect(ConnectionParameters.defaults().withReadDepth(4, 4).withPrivateData(clientData));
        CmEvent request = serverChannel.await(CmEventType.CONNECT_REQUEST, TIMEOUT_MS);
        CmId server = request.id();
        QueuePair sq = serverQp.apply(server);
        server.accept(ConnectionParameters.defaults().withReadDepth(4, 4).withPrivateData(serverData));
        CmEvent established = clientChannel.await(CmEventType.ESTABLISHED, TIMEOUT_MS);
        serverChannel.await(CmEventType.ESTABLISHED, TIMEOUT_MS);
        Connection c = new Connection(client, server, cq, sq, request, established);
        connections.add(c);
        return c;
    }

    @Override
    public void close() {
        List<Throwable> failures = new ArrayList<>();
        for (Connection c : connections) {
            // The active side's DISCONNECTED waits for the passive side's own disconnect (its DREP).
            // Best effort: a test that broke the connection must still tear down.
            run(failures, () -> c.client().disconnect());
            serverChannel.poll(5000);
            run(failures, () -> c.server().disconnect());
            clientChannel.poll(5000);
        }
        for (Connection c : connections) {
            run(failures, () -> c.clientQp().close());
            run(failures, () -> c.serverQp().close());
            run(failures, () -> c.client().close());
            run(failures, () -> c.server().close());
        }
        while (!tracked.isEmpty()) {
            AutoCloseable r = tracked.pop();
            run(failures, r::close);
        }
        run(failures, listener::close);
        run(failures, serverChannel::close);
        run(failures, clientChannel::close);
        run(failures, arena::close);
        if (!failures.isEmpty()) {
            IllegalStateException e = new IllegalStateException("loopback teardown failed: " + failures.getFirst(), failures.getFirst());
            failures.stream().skip(1).forEach(e::addSuppressed);
            throw e;
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void run(List<Throwable> failures, Step step) {
        try {
            step.run();
        } catch (Exception | Error e) {
            failures.add(e);
        }
    }
}
