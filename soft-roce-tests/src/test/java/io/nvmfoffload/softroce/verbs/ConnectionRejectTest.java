package io.nvmfoffload.softroce.verbs;

import io.nvmfoffload.softroce.bed.InBed;
import io.nvmfoffload.verbs.CompletionQueue;
import io.nvmfoffload.verbs.DeviceContext;
import io.nvmfoffload.verbs.ProtectionDomain;
import io.nvmfoffload.verbs.QpInitAttributes;
import io.nvmfoffload.verbs.cm.CmEvent;
import io.nvmfoffload.verbs.cm.CmEventType;
import io.nvmfoffload.verbs.cm.CmId;
import io.nvmfoffload.verbs.cm.ConnectionParameters;
import io.nvmfoffload.verbs.cm.UnexpectedCmEventException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@InBed
class ConnectionRejectTest {
    @Test
    void aRejectCarriesItsPrivateDataToThePeer() {
        byte[] request = "nqn.2014-08.org.nvmexpress:uuid:host-1".getBytes(StandardCharsets.US_ASCII);
        byte[] reason = "rejected: subsystem full".getBytes(StandardCharsets.US_ASCII);
        try (Loopback lb = Loopback.listen(7474)) {
            DeviceContext ctx = lb.context();
            ProtectionDomain pd = lb.track(ctx.allocateProtectionDomain());
            CompletionQueue cq = lb.track(ctx.createCompletionQueue(16));

            CmId client = lb.track(lb.clientChannel.resolve(lb.address, Loopback.TIMEOUT));
            lb.track(client.createQueuePair(pd, QpInitAttributes.reliableConnected(cq, cq)));
            client.connect(ConnectionParameters.defaults().withPrivateData(request));

            CmEvent connectRequest = lb.serverChannel.await(CmEventType.CONNECT_REQUEST, Loopback.TIMEOUT_MS);
            assertSame(lb.listener, connectRequest.listenId());
            assertArrayEquals(request, Arrays.copyOf(connectRequest.privateData(), request.length),
                    "the server reads the client's private data");
            try (CmId refused = connectRequest.id()) {
                refused.reject(reason);
            }

            UnexpectedCmEventException notEstablished = assertThrows(UnexpectedCmEventException.class,
                    () -> lb.clientChannel.await(CmEventType.ESTABLISHED, Loopback.TIMEOUT_MS));
            CmEvent rejected = notEstablished.event();
            assertEquals(CmEventType.REJECTED, rejected.type(), notEstablished.getMessage());
            assertSame(client, rejected.id());
            assertTrue(rejected.privateData().length >= reason.length, rejected.toString());
            assertArrayEquals(reason, Arrays.copyOf(rejected.privateData(), reason.length), "the client reads the reject's private data");
            assertEquals(28, rejected.status(), "IB CM reason 28: consumer reject");
            assertTrue(notEstablished.getMessage().contains("RDMA_CM_EVENT_REJECTED (status 28 (consumer reject"),
                    notEstablished.getMessage());
        }
    }
}
