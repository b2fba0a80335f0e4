package io.nvmfoffload.nvmf.transport.tcp;

import io.nvmfoffload.nvmf.core.Request;
import io.nvmfoffload.nvmf.transport.buffer.DataBufferPool;

/** A request of an NVMe/TCP queue with its data buffer and the progress of its host-to-controller transfer. */
final class TcpSlot {
    final Request request;
    /** The connection's own buffer is this command's data buffer (else it borrowed {@link #borrowed}, or has none). */
    boolean ownBuffer;
    /** A buffer borrowed from the port's pool for this command while it holds one. */
    final DataBufferPool.Buffer borrowed = new DataBufferPool.Buffer();
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
