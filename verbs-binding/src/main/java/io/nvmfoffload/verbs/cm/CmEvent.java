package io.nvmfoffload.verbs.cm;

import io.nvmfoffload.verbs.Errno;

/**
 * One rdma_cm event ({@code struct rdma_cm_event}), copied out of librdmacm and acknowledged, so it
 * can be kept as long as needed.
 *
 * @param type        null for an event type this binding does not know (see rawType)
 * @param status      0, a negative errno (address/route errors), or the IB CM reject reason
 *                    (REJECTED; 28 is "consumer reject", i.e. the peer called rdma_reject)
 * @param id          the id the event is for; for CONNECT_REQUEST a new id to accept or reject
 * @param listenId    for CONNECT_REQUEST, the listening id; otherwise null
 * @param privateData the peer's private data (connect request, accept, reject), zero-padded by the CM
 */
public record CmEvent(CmEventType type, int rawType, int status, CmId id, CmId listenId, byte[] privateData,
                      int responderResources, int initiatorDepth, int retryCount, int rnrRetryCount) {

    public CmEvent {
        privateData = privateData.clone();
    }

    @Override
    public byte[] privateData() {
        return privateData.clone();
    }

    public String typeName() {
        return type == null ? "rdma_cm_event_type " + rawType : type.cName();
    }

    /** The status spelled out: errno names for negative values. */
    public String statusDescription() {
        if (status < 0) {
            return Errno.display(-status);
        }
        if (type == CmEventType.REJECTED && status == 28) {
            return "28 (consumer reject: the peer rejected the connection)";
        }
        return Integer.toString(status);
    }

    @Override
    public String toString() {
        return typeName() + " (status " + statusDescription() + ") on " + id.describe()
                + (privateData.length > 0 ? ", " + privateData.length + " bytes of private data" : "");
    }
}
