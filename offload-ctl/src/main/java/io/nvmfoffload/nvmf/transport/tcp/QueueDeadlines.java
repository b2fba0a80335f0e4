package io.nvmfoffload.nvmf.transport.tcp;

import io.nvmfoffload.nvmf.HostLimits;

/**
 * When an NVMe/TCP queue last made progress, for the transport's watchdog: its Fabrics Connect
 * must succeed within the connect timeout, a PDU once started must be finished, and the data an
 * R2T asked for must come, within the PDU timeout. Written by the queue's reader, read by the
 * watchdog.
 */
final class QueueDeadlines {
    private final long acceptedNanos = System.nanoTime();
    private volatile boolean connected;
    /** When the PDU being received started arriving; 0 between PDUs. */
    private volatile long pduStartedNanos;
    /** R2Ts sent whose data is not all in. */
    private volatile int r2tOutstanding;
    private volatile long lastH2cProgressNanos;

    void connected() {
        connected = true;
    }

    boolean isConnected() {
        return connected;
    }

    void pduStarted() {
        pduStartedNanos = System.nanoTime();
    }

    void pduDone() {
        pduStartedNanos = 0;
    }

    void r2tSent() {
        if (r2tOutstanding++ == 0) {
            lastH2cProgressNanos = System.nanoTime();
        }
    }

    /** Data of an R2T arrived; {@code complete}: all of it. */
    void h2cData(boolean complete) {
        lastH2cProgressNanos = System.nanoTime();
        if (complete) {
            r2tOutstanding--;
        }
    }

    /** Why the queue should be closed now, or null. */
    String overdue(long now, HostLimits limits) {
        if (!connected && now - acceptedNanos > limits.connectTimeoutMillis() * 1_000_000L) {
            return "no Fabrics Connect within " + limits.connectTimeoutMillis() + " ms (connect_timeout_ms)";
        }
        long started = pduStartedNanos;
        if (started != 0 && now - started > limits.pduTimeoutMillis() * 1_000_000L) {
            return "a PDU still incomplete after " + limits.pduTimeoutMillis() + " ms (pdu_timeout_ms)";
        }
        if (r2tOutstanding > 0 && now - lastH2cProgressNanos > limits.pduTimeoutMillis() * 1_000_000L) {
            return "the data of an R2T not sent within " + limits.pduTimeoutMillis() + " ms (pdu_timeout_ms)";
        }
        return null;
    }
}
