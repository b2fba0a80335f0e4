package io.nvmfoffload.verbs.cm;

import io.nvmfoffload.verbs.ffi.CmLayouts;
import io.nvmfoffload.verbs.ffi.StructView;

import java.lang.foreign.Arena;

/**
 * {@code struct rdma_conn_param} for connect and accept. The private data rides in the CM message;
 * its room depends on the message (56 bytes in an rdma_cm connect request over IB/RoCE, 196 in an
 * accept), and the peer receives it padded with zeros to that room.
 */
public record ConnectionParameters(byte[] privateData, int responderResources, int initiatorDepth,
                                   int flowControl, int retryCount, int rnrRetryCount) {

    public ConnectionParameters {
        privateData = privateData == null ? new byte[0] : privateData.clone();
        if (privateData.length > 255) {
            throw new IllegalArgumentException("private data holds at most 255 bytes (a u8 length), not " + privateData.length);
        }
    }

    /** One outstanding RDMA READ each way, 7 retries, no private data. */
    public static ConnectionParameters defaults() {
        return new ConnectionParameters(new byte[0], 1, 1, 0, 7, 7);
    }

    public ConnectionParameters withPrivateData(byte[] data) {
        return new ConnectionParameters(data, responderResources, initiatorDepth, flowControl, retryCount, rnrRetryCount);
    }

    /** RDMA READs (and atomics) the peer may have outstanding against us, and we against it. */
    public ConnectionParameters withReadDepth(int responderResources, int initiatorDepth) {
        return new ConnectionParameters(privateData, responderResources, initiatorDepth, flowControl, retryCount, rnrRetryCount);
    }

    @Override
    public byte[] privateData() {
        return privateData.clone();
    }

    StructView toNative(Arena arena) {
        StructView v = StructView.allocate(arena, CmLayouts.RDMA_CONN_PARAM);
        if (privateData.length > 0) {
            v.setPointer("private_data", arena.allocateFrom(java.lang.foreign.ValueLayout.JAVA_BYTE, privateData));
        }
        v.setU8("private_data_len", privateData.length)
                .setU8("responder_resources", responderResources)
                .setU8("initiator_depth", initiatorDepth)
                .setU8("flow_control", flowControl)
                .setU8("retry_count", retryCount)
                .setU8("rnr_retry_count", rnrRetryCount);
        return v;
    }
}
