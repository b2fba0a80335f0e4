package io.nvmfoffload.softroce.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay between a host and a target that can go silent one way: after
 * {@link #freezeHostToTarget}, the connections open at that moment swallow everything the host
 * sends (its keep-alives included) while the target's side still flows, and neither side sees the
 * connection close: to the target, a host that stopped talking. Connections made afterwards are relayed normally, so the
 * host can reconnect through it. When either side closes, the pair is closed.
 *
 * <p>It also follows the NVMe/TCP PDU framing of what the host sends (common header: type, flags,
 * HLEN, PDO, PLEN), so that {@link #corruptNextHostPdu} can flip one bit inside the header (or,
 * given an offset, the payload) of the next PDU of a given type, as a bad link would.
 */
public final class FreezableTcpProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final List<Pair> pairs = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    private volatile int accepted;
    /** PDU type whose next occurrence gets a flipped bit, or -1. */
    private final AtomicInteger corruptType = new AtomicInteger(-1);
    private final CompletableFuture<Integer> corrupted = new CompletableFuture<>();
    /** The default byte of the PDU that is flipped: inside the SQE of a command capsule (CDW1), before any digest. */
    private static final int CORRUPT_OFFSET = 12;
    private volatile int corruptOffset = CORRUPT_OFFSET;

    private FreezableTcpProxy(ServerSocket listener, InetSocketAddress target) {
        this.listener = listener;
        this.target = target;
        this.acceptor = Thread.ofPlatform().daemon().name("proxy-accept").start(this::acceptLoop);
    }

    /** Listens on {@code address:port} and relays each connection to {@code targetAddress:targetPort}. */
    public static FreezableTcpProxy start(String address, int port, String targetAddress, int targetPort) {
        try {
            ServerSocket s = new ServerSocket(port, 16, InetAddress.getByName(address));
            return new FreezableTcpProxy(s, new InetSocketAddress(targetAddress, targetPort));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address + ":" + port + " for the proxy", e);
        }
    }

    /** The connections open now stop relaying host bytes to the target. */
    public void freezeHostToTarget() {
        pairs.forEach(p -> p.frozen = true);
    }

    /**
     * Flips one bit at byte {@value #CORRUPT_OFFSET} of the next PDU of {@code type} the host sends
     * on any connection; the future completes with the type once done.
     */
    public CompletableFuture<Integer> corruptNextHostPdu(int type) {
        return corruptNextHostPdu(type, CORRUPT_OFFSET);
    }

    /**
     * Flips a bit at byte {@code offset} of the next host PDU of {@code type} that is longer than
     * {@code offset} plus a digest (so a payload offset hits a PDU that has that much payload).
     */
    public CompletableFuture<Integer> corruptNextHostPdu(int type, int offset) {
        corruptOffset = offset;
        corruptType.set(type);
        return corrupted;
    }

    /** Connections accepted so far (reconnects included). */
    public int connectionsAccepted() {
        return accepted;
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket host = listener.accept();
                Socket upstream = new Socket();
                upstream.connect(target, 5_000);
                Pair p = new Pair(host, upstream);
                pairs.add(p);
                accepted++;
                Thread.ofPlatform().daemon().name("proxy-up").start(() -> p.relay(host, upstream, true));
                Thread.ofPlatform().daemon().name("proxy-down").start(() -> p.relay(upstream, host, false));
            } catch (IOException e) {
                if (listener.isClosed()) {
                    return;
                }
            }
        }
    }

    private final class Pair {
        final Socket host;
        final Socket upstream;
        volatile boolean frozen;
        // Where the host's stream is in its current PDU: the common header seen so far and the offset.
        private final byte[] header = new byte[8];
        private long pduOffset;
        private long pduLength = Long.MAX_VALUE;
        private boolean corruptThis;

        Pair(Socket host, Socket upstream) {
            this.host = host;
            this.upstream = upstream;
        }

        void relay(Socket from, Socket to, boolean hostToTarget) {
            byte[] buf = new byte[64 << 10];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                while (true) {
                    int n = in.read(buf);
                    if (n < 0) {
                        return;
                    }
                    if (hostToTarget && frozen) {
                        continue;  // swallowed: the host believes it sent them, the target never sees them
                    }
                    if (hostToTarget) {
                        follow(buf, n);
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // the other direction closed the pair
            } finally {
                close();
            }
        }

        /** Tracks PDU boundaries in the host's bytes and flips the armed bit on its way through. */
        private void follow(byte[] buf, int n) {
            for (int i = 0; i < n; i++) {
                if (pduOffset < header.length) {
                    header[(int) pduOffset] = buf[i];
                    if (pduOffset == header.length - 1) {
                        pduLength = (header[4] & 0xFFL) | (header[5] & 0xFFL) << 8 | (header[6] & 0xFFL) << 16 | (header[7] & 0xFFL) << 24;
                        int type = header[0] & 0xFF;
                        corruptThis = corruptType.get() == type && pduLength > corruptOffset + 4L
                                && corruptType.compareAndSet(type, -1);
                    }
                }
                if (corruptThis && pduOffset == corruptOffset) {
                    buf[i] ^= 0x01;
                    corruptThis = false;
                    corrupted.complete(header[0] & 0xFF);
                }
                if (++pduOffset >= pduLength) {
                    pduOffset = 0;
                    pduLength = Long.MAX_VALUE;
                }
            }
        }

        void close() {
            pairs.remove(this);
            try {
                host.close();
            } catch (IOException ignored) {
                // closing
            }
            try {
                upstream.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing
        }
        pairs.forEach(Pair::close);
        try {
            acceptor.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
