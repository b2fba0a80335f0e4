package io.nvmfoffload.nvmf.transport.tcp;

import java.util.concurrent.atomic.LongAdder;

/** What a listener's queues did on the transmit side, for status and tests. */
final class TcpCounters {
    /** Read data sent straight from a file store's page cache (sendfile), never copied through user space. */
    final LongAdder bytesSentFromFiles = new LongAdder();
    /** Successful reads answered by a C2HData with SUCCESS and no response capsule (SQ flow control off). */
    final LongAdder completionsInDataPdu = new LongAdder();
}
