package io.nvmfoffload.softroce.bench;

import io.nvmfoffload.verbs.DeviceContext;
import io.nvmfoffload.verbs.MemoryRegion;
import io.nvmfoffload.verbs.QueuePair;
import io.nvmfoffload.verbs.cm.CmEvent;
import io.nvmfoffload.verbs.cm.CmEventChannel;
import io.nvmfoffload.verbs.cm.CmEventType;
import io.nvmfoffload.verbs.cm.CmId;
import io.nvmfoffload.verbs.cm.ConnectionParameters;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Two RC queue pairs of this JVM connected through rdma_cm on one address, as perftest's two
 * processes connect with {@code -R}: the server's QP is created on the connect request, and the
 * address and rkey of the buffer the client may write to travel in the accept's private data.
 * Close the QPs after {@link #disconnect()} and before this.
 */
final class CmLoopback implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final InetSocketAddress address;
    private final CmEventChannel serverChannel;
    private final CmEventChannel clientChannel;
    private final CmId listener;
    private CmId serverId;
    private CmId clientId;
    private long remoteAddress;
    private int remoteKey;

    private CmLoopback(InetSocketAddress address, CmEventChannel serverChannel, CmEventChannel clientChannel, CmId listener) {
        this.address = address;
        this.serverChannel = serverChannel;
        this.clientChannel = clientChannel;
        this.listener = listener;
    }

    /** Listens on {@code address}; {@link #context()} is then the device to create both ends on. */
    static CmLoopback listen(InetSocketAddress address) {
        CmEventChannel server = CmEventChannel.create();
        CmEventChannel client = null;
        try {
            client = CmEventChannel.create();
            return new CmLoopback(address, server, client, server.listen(address, 4));
        } catch (RuntimeException e) {
            if (client != null) {
                client.close();
            }
            server.close();
            throw e;
        }
    }

    DeviceContext context() {
        return listener.context();
    }

    /** Connects the client's QP to the server's; {@code serverBuffer} is what the client may write to. */
    void connect(Function<CmId, QueuePair> serverQp, MemoryRegion serverBuffer, Function<CmId, QueuePair> clientQp) throws Exception {
        CompletableFuture<CmId> accepted = CompletableFuture.supplyAsync(() -> accept(serverQp, serverBuffer));
        clientId = clientChannel.resolve(address, TIMEOUT);
        clientQp.apply(clientId);
        clientId.connect(ConnectionParameters.defaults());
        CmEvent established = clientChannel.await(CmEventType.ESTABLISHED, TIMEOUT.toMillis());
        serverId = accepted.get();
        ByteBuffer key = ByteBuffer.wrap(established.privateData());
        remoteAddress = key.getLong();
        remoteKey = key.getInt();
    }

    private CmId accept(Function<CmId, QueuePair> serverQp, MemoryRegion serverBuffer) {
        CmEvent request = serverChannel.await(CmEventType.CONNECT_REQUEST, TIMEOUT.toMillis());
        serverQp.apply(request.id());
        byte[] key = ByteBuffer.allocate(12).putLong(serverBuffer.address()).putInt(serverBuffer.rkey()).array();
        request.id().accept(ConnectionParameters.defaults().withPrivateData(key));
        serverChannel.await(CmEventType.ESTABLISHED, TIMEOUT.toMillis());
        return request.id();
    }

    /** The server buffer's address, for the client's RDMA WRITEs. */
    long remoteAddress() {
        return remoteAddress;
    }

    /** The server buffer's rkey. */
    int remoteKey() {
        return remoteKey;
    }

    /** Disconnects both ends, each after the other has seen it go. */
    void disconnect() {
        clientId.disconnect();
        serverChannel.poll(5000);
        serverId.disconnect();
        clientChannel.poll(5000);
    }

    @Override
    public void close() {
        if (clientId != null) {
            clientId.close();
        }
        if (serverId != null) {
            serverId.close();
        }
        listener.close();
        clientChannel.close();
        serverChannel.close();
    }
}
