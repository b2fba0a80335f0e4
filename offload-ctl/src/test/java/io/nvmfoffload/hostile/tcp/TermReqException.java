package io.nvmfoffload.hostile.tcp;

import java.io.IOException;

/** The target ended the connection with a C2HTermReq while the host waited for something else. */
public final class TermReqException extends IOException {
    private final ReceivedPdu pdu;

    public TermReqException(ReceivedPdu pdu) {
        super("target sent C2HTermReq: " + pdu.describe());
        this.pdu = pdu;
    }

    public ReceivedPdu pdu() {
        return pdu;
    }
}
