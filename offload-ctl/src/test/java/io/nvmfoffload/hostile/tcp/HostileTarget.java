package io.nvmfoffload.hostile.tcp;

import io.nvmfoffload.nvme.store.RamNamespaceStore;
import io.nvmfoffload.nvmf.Port;
import io.nvmfoffload.nvmf.Target;
import io.nvmfoffload.nvmf.TransportType;
import io.nvmfoffload.nvmf.server.TargetServer;
import io.nvmfoffload.nvmf.transport.tcp.TcpTransport;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A target on a free loopback port with one subsystem and one 1 MiB RAM namespace, started through
 * the public API only, and the steps every hostile test shares: a correct admin or I/O session and
 * the closing check that the target still serves a fresh host.
 */
final class HostileTarget implements AutoCloseable {
    static final String SUBNQN = "nqn.2024-01.io.nvmfoffload:hostile";
    static final String HOSTNQN = "nqn.2014-08.org.nvmexpress:uuid:2a2b3c4d-0000-4000-8000-00000000beef";
    static final String DISCOVERY_NQN = "nqn.2014-08.org.nvmexpress.discovery";
    static final int NSID = 1;
    static final int BLOCK = 512;
    static final long BLOCKS = 2048;
    /** Where the liveness check writes, away from the LBAs the tests use. */
    static final long ALIVE_LBA = 1024;

    final int port;
    private final TargetServer server;

    private HostileTarget(int port, TargetServer server) {
        this.port = port;
        this.server = server;
    }

    static HostileTarget start() throws IOException {
        return start(Port.DEFAULT_MAX_IO_SIZE);
    }

    /** The same target with the port's largest transfer (max_io_size) at {@code maxIoSize}. */
    static HostileTarget start(int maxIoSize) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Target target = new Target();
        target.addSubsystem(SUBNQN, "HOSTILE0001", "hostile-host test", true);
        target.addNamespace(SUBNQN, NSID, RamNamespaceStore.create("hostile", BLOCK, BLOCKS));
        target.addPort(new Port(1, TransportType.TCP, "127.0.0.1", port, Port.DEFAULT_IN_CAPSULE_DATA_SIZE, maxIoSize));
        target.link(1, SUBNQN);
        return new HostileTarget(port, new TargetServer(target).start());
    }

    /** The port's NVMe/TCP listener, for its counters (connections, data buffers in use). */
    TcpTransport tcp() {
        return server.tcpListeners().getFirst();
    }

    /** Controllers the target holds now, of every host. */
    int controllers() {
        return server.core().controllers().size();
    }

    /** A connected socket, nothing sent. */
    SpecTcpHost open() throws IOException {
        return SpecTcpHost.open("127.0.0.1", port);
    }

    /** ICReq/ICResp done, nothing else. */
    SpecTcpHost initialized() throws IOException {
        SpecTcpHost h = open();
        h.initialize();
        return h;
    }

    /** An admin queue connected to the NVM subsystem and enabled. */
    SpecTcpHost admin() throws IOException {
        return admin(0);
    }

    SpecTcpHost admin(int dgst) throws IOException {
        SpecTcpHost h = open();
        h.icReq(0, dgst, 0);
        Cqe c = h.connectAdmin(HOSTNQN, SUBNQN, 0);
        assertTrue(c.success(), () -> "admin Connect failed: " + c);
        h.enable();
        return h;
    }

    /** An I/O queue (QID 1, SQSIZE 31) of the controller {@code admin} created. */
    SpecTcpHost io(SpecTcpHost admin, int qid) throws IOException {
        return io(admin, qid, 0, 31);
    }

    SpecTcpHost io(SpecTcpHost admin, int qid, int dgst, int sqsize) throws IOException {
        SpecTcpHost h = open();
        h.icReq(0, dgst, 0);
        Cqe c = h.connectIo(HOSTNQN, SUBNQN, admin.cntlid(), qid, sqsize);
        assertTrue(c.success(), () -> "I/O Connect failed: " + c);
        return h;
    }

    static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (seed + i * 31 + (i >> 9));
        }
        return b;
    }

    /** Reads {@code length} bytes at {@code slba} on {@code io} and checks they equal {@code expected}. */
    static void assertReads(SpecTcpHost io, long slba, byte[] expected) throws IOException {
        Completion r = io.read(NSID, slba, expected.length / BLOCK, BLOCK);
        assertTrue(r.success(), () -> "read failed: " + r);
        assertEquals(expected.length, r.bytesReceived(), "bytes of C2HData");
        assertArrayEquals(expected, r.data(), "data read back");
    }

    /**
     * The closing check of every test: a fresh, correct host connects an admin and an I/O queue,
     * writes 4 KiB and reads the same 4 KiB back.
     */
    void assertAlive() throws IOException {
        try (SpecTcpHost admin = admin(); SpecTcpHost io = io(admin, 1)) {
            byte[] data = pattern(4096, (int) System.nanoTime());
            Completion w = io.writeInCapsule(NSID, ALIVE_LBA, data, BLOCK);
            assertTrue(w.success(), () -> "liveness write failed: " + w);
            assertReads(io, ALIVE_LBA, data);
        }
    }

    /**
     * TCP transport 1.0, 3.6.2: on a fatal transport error the controller sends a C2HTermReq with
     * the error's FES (and for an invalid header field, FEI = the field's byte offset) and closes
     * the connection. {@code feis} lists the FEIs accepted; none means any.
     */
    static ReceivedPdu assertTerminated(SpecTcpHost h, String what, int fes, int... feis) throws IOException {
        ReceivedPdu t = h.expectTermination();
        assertNotNull(t, what + ": the target closed the connection without a C2HTermReq");
        assertEquals(fes, t.fes(), () -> what + ": FES of " + t);
        if (feis.length > 0) {
            assertTrue(Arrays.stream(feis).anyMatch(f -> f == t.fei()), () -> what + ": FEI of " + t
                    + ", want one of " + Arrays.toString(feis));
        }
        assertTrue(h.closedByPeerWithin(java.time.Duration.ofSeconds(5)),
                what + ": connection still open 5 s after the C2HTermReq");
        return t;
    }

    static String hex(byte[] b, int max) {
        return Arrays.toString(Arrays.copyOf(b, Math.min(max, b.length)));
    }

    @Override
    public void close() {
        server.close();
    }
}
