package io.nvmfoffload.verbs.tools;

import io.nvmfoffload.verbs.Access;
import io.nvmfoffload.verbs.CompletionQueue;
import io.nvmfoffload.verbs.DeviceContext;
import io.nvmfoffload.verbs.MemoryRegion;
import io.nvmfoffload.verbs.ProtectionDomain;
import io.nvmfoffload.verbs.QpInitAttributes;
import io.nvmfoffload.verbs.QueuePair;
import io.nvmfoffload.verbs.ReceiveWorkRequests;
import io.nvmfoffload.verbs.SendWorkRequests;
import io.nvmfoffload.verbs.WorkCompletions;
import io.nvmfoffload.verbs.WrOpcode;
import io.nvmfoffload.verbs.cm.CmEvent;
import io.nvmfoffload.verbs.cm.CmEventChannel;
import io.nvmfoffload.verbs.cm.CmEventType;
import io.nvmfoffload.verbs.cm.CmId;
import io.nvmfoffload.verbs.cm.ConnectionParameters;

import java.lang.foreign.Arena;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The README's example, kept here so that it always compiles: a listener and a client in one
 * process over rdma_cm; the client SENDs one message, the server receives it.
 * {@code java --enable-native-access=ALL-UNNAMED -cp verbs-binding/target/classes io.nvmfoffload.verbs.tools.SendExample 169.254.77.1}
 */
public final class SendExample {
    private SendExample() {}

    public static void main(String[] args) throws Exception {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(args.length > 0 ? args[0] : "169.254.77.1"), 7700);
        Duration timeout = Duration.ofSeconds(30);
        try (Arena arena = Arena.ofConfined();
             CmEventChannel serverEvents = CmEventChannel.create();
             CmEventChannel clientEvents = CmEventChannel.create();
             CmId listener = serverEvents.listen(address, 1)) {
            DeviceContext device = listener.context();                   // rxe0, opened by librdmacm
            try (ProtectionDomain pd = device.allocateProtectionDomain();
                 CompletionQueue cq = device.createCompletionQueue(16);
                 MemoryRegion mr = pd.registerMemory(arena.allocate(4096, 4096), Access.LOCAL_WRITE);
                 SendWorkRequests sends = new SendWorkRequests(1, 1);
                 ReceiveWorkRequests recvs = new ReceiveWorkRequests(1, 1);
                 WorkCompletions completions = new WorkCompletions(4)) {
                QpInitAttributes rc = QpInitAttributes.reliableConnected(cq, cq);

                // Client: resolve the server's address and route, create its QP, connect.
                CmId client = clientEvents.resolve(address, timeout);
                QueuePair clientQp = client.createQueuePair(pd, rc);
                client.connect(ConnectionParameters.defaults().withPrivateData("hello".getBytes()));

                // Server: take the connect request, create a QP on the new id, post a receive, accept.
                CmEvent request = serverEvents.await(CmEventType.CONNECT_REQUEST, timeout.toMillis());
                CmId server = request.id();
                QueuePair serverQp = server.createQueuePair(pd, rc);
                recvs.get(0).reset().wrId(2).addSge(mr, 2048, 64);
                serverQp.postReceive(recvs, 1);
                server.accept(ConnectionParameters.defaults());
                clientEvents.await(CmEventType.ESTABLISHED, timeout.toMillis());
                serverEvents.await(CmEventType.ESTABLISHED, timeout.toMillis());

                // Post a signaled SEND of 64 bytes and poll until both completions arrived.
                mr.segment().setString(0, "ping from " + client.localAddress());
                sends.get(0).reset().wrId(1).opcode(WrOpcode.SEND).signaled(true).addSge(mr, 0, 64);
                clientQp.postSend(sends, 1);
                for (int seen = 0; seen < 2; ) {
                    int n = cq.poll(completions);
                    for (int i = 0; i < n; i++, seen++) {
                        completions.requireSuccess(i);            // throws, naming the status, on error
                        System.out.println("completed wr_id " + completions.wrId(i) + ": " + completions.opcode(i));
                    }
                }
                System.out.println("server received: " + mr.segment().getString(2048));

                // Each side disconnects; the active side's DISCONNECTED waits for the passive side's reply.
                client.disconnect();
                serverEvents.await(CmEventType.DISCONNECTED, timeout.toMillis());
                server.disconnect();
                clientEvents.await(CmEventType.DISCONNECTED, timeout.toMillis());
                clientQp.close();                                   // QPs before their ids, CQ and PD
                serverQp.close();
                client.close();
                server.close();
            }
        }
    }
}
