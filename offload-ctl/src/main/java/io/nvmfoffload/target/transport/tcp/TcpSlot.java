package io.nvmfoffload.target.transport.tcp;

import io.nvmfoffload.target.core.Request;

import java.lang.foreign.MemorySegment;

/** A request of an NVMe/TCP queue with its data buffer and the progress of its host-to-controller transfer. */
final class TcpSlot {
    final Request request;
    MemorySegment buffer = MemorySegment.NULL;
    int expected;
    int received;
    /** ddp_setup accepted this I/O: its H2C payload is placed, and teardown is due. */
    boolean ddpSetup;
    /** A data PDU of this I/O failed its digest: the command fails once all its data is in. */
    boolean digestFailed;

    TcpSlot(Request request) {
        this.request = request;
    }

    int index() {
        return request.slot();
    }
}
