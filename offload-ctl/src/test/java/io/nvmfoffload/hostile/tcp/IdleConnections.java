package io.nvmfoffload.hostile.tcp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Connections that never send a Fabrics Connect: every other one sends an ICReq and nothing more,
 * the rest send nothing at all. One selector thread holds them all and notes when the target
 * closes each (end of stream or reset), so that hundreds of them cost the test one thread.
 */
final class IdleConnections implements AutoCloseable {
    private static final class Idle {
        final SocketChannel channel;
        final long openedNanos;
        final boolean sentIcReq;
        volatile long closedNanos;

        Idle(SocketChannel channel, long openedNanos, boolean sentIcReq) {
            this.channel = channel;
            this.openedNanos = openedNanos;
            this.sentIcReq = sentIcReq;
        }
    }

    private static final long PACE_NANOS = 1_000_000;

    private final List<Idle> idle = new ArrayList<>();
    private final Selector selector;
    private final Thread watcher;
    private volatile boolean stopping;
    private final long openNanos;
    private final long slowestConnectNanos;

    private IdleConnections(Selector selector, long openNanos, long slowestConnectNanos) {
        this.selector = selector;
        this.openNanos = openNanos;
        this.slowestConnectNanos = slowestConnectNanos;
        this.watcher = Thread.ofPlatform().daemon().name("hostile-idle-watcher").unstarted(this::watch);
    }

    /** Opens {@code count} connections one after another, as fast as the target accepts them. */
    static IdleConnections open(int port, int count) throws IOException {
        Selector selector = Selector.open();
        long start = System.nanoTime();
        List<Idle> opened = new ArrayList<>();
        long slowest = 0;
        try {
            byte[] icReq = PduBuilder.icReq(0, 0, 0, 0).encode();
            for (int i = 0; i < count; i++) {
                if (i > 0) {
                    // one at a time with a pause, as the acceptor starts a thread for each: a burst
                    // beyond the listen backlog costs a retransmitted SYN, a second
                    java.util.concurrent.locks.LockSupport.parkNanos(PACE_NANOS);
                }
                long before = System.nanoTime();
                SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                Idle c = new Idle(ch, System.nanoTime(), i % 2 == 1);
                slowest = Math.max(slowest, c.openedNanos - before);
                opened.add(c);
                if (c.sentIcReq) {
                    ch.write(ByteBuffer.wrap(icReq));
                }
                ch.configureBlocking(false);
                ch.register(selector, SelectionKey.OP_READ, c);
            }
        } catch (IOException | RuntimeException e) {
            for (Idle c : opened) {
                c.channel.close();
            }
            selector.close();
            throw e;
        }
        IdleConnections set = new IdleConnections(selector, System.nanoTime() - start, slowest);
        set.idle.addAll(opened);
        set.watcher.start();
        return set;
    }

    /** Reads (and drops) what the target sends, an ICResp, until it closes each connection. */
    private void watch() {
        ByteBuffer sink = ByteBuffer.allocate(4096);
        try {
            while (!stopping && !selector.keys().isEmpty()) {
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    Idle c = (Idle) key.attachment();
                    int n;
                    try {
                        n = c.channel.read(sink.clear());
                    } catch (IOException reset) {
                        n = -1;
                    }
                    if (n < 0) {
                        c.closedNanos = System.nanoTime();
                        key.cancel();
                        c.channel.close();
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | java.nio.channels.ClosedSelectorException e) {
            // the test is closing the set
        }
    }

    /** How long opening them all took. */
    long openMillis() {
        return TimeUnit.NANOSECONDS.toMillis(openNanos);
    }

    /** The longest a single connect took: a full accept backlog shows as a SYN retransmitted after a second. */
    long slowestConnectMillis() {
        return TimeUnit.NANOSECONDS.toMillis(slowestConnectNanos);
    }

    int count() {
        return idle.size();
    }

    /** Waits until the target closed them all or {@code deadlineNanos} (System.nanoTime) passes; true if all are closed. */
    boolean awaitAllClosed(long deadlineNanos) throws InterruptedException {
        while (System.nanoTime() < deadlineNanos) {
            if (stillOpen() == 0) {
                return true;
            }
            Thread.sleep(20);
        }
        return stillOpen() == 0;
    }

    long stillOpen() {
        return idle.stream().filter(c -> c.closedNanos == 0).count();
    }

    /** The shortest time the target kept one open, in ms from the test's connect. */
    long minLifetimeMillis(boolean sentIcReq) {
        return idle.stream().filter(c -> c.sentIcReq == sentIcReq && c.closedNanos != 0)
                .mapToLong(c -> c.closedNanos - c.openedNanos).min().orElse(-1) / 1_000_000;
    }

    /** The longest time the target kept one open, in ms from the test's connect; open ones count until now. */
    long maxLifetimeMillis(boolean sentIcReq) {
        long now = System.nanoTime();
        return idle.stream().filter(c -> c.sentIcReq == sentIcReq)
                .mapToLong(c -> (c.closedNanos != 0 ? c.closedNanos : now) - c.openedNanos).max().orElse(0) / 1_000_000;
    }

    long maxLifetimeMillis() {
        return Math.max(maxLifetimeMillis(false), maxLifetimeMillis(true));
    }

    /** "silent: a to b ms, ICReq only: c to d ms": how long the target kept each kind open. */
    String lifetimes() {
        return String.format("sending nothing %d to %d ms, sending only an ICReq %d to %d ms", minLifetimeMillis(false),
                maxLifetimeMillis(false), minLifetimeMillis(true), maxLifetimeMillis(true));
    }

    /** When the last one was connected (System.nanoTime). */
    long openedLastNanos() {
        return idle.isEmpty() ? System.nanoTime() : idle.getLast().openedNanos;
    }

    @Override
    public void close() throws IOException {
        stopping = true;
        try {
            watcher.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Idle c : idle) {
            c.channel.close();
        }
        selector.close();
    }
}
