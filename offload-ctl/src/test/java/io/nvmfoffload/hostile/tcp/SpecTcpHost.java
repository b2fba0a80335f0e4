package io.nvmfoffload.hostile.tcp;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * An NVMe/TCP host written from the TCP transport, Fabrics and Base specifications only. It can
 * send raw bytes or any PDU, and runs commands: it answers R2Ts with H2CData PDUs, gathers C2HData
 * PDUs and returns the completion. Every read has a timeout, so a target that never answers fails
 * a test instead of hanging it.
 */
public final class SpecTcpHost implements AutoCloseable {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    private static final long MAX_PLEN = 16L << 20;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final Map<Integer, Pending> pending = new HashMap<>();
    private final Map<Integer, Completion> done = new HashMap<>();
    private boolean headerDigest;
    private boolean dataDigest;
    private int cpda;
    private int maxH2cData = 4096;
    private int nextCid = 1;
    private int cntlid = -1;

    private static final class Pending {
        final byte[] h2c;
        final byte[] c2h;
        int received;

        Pending(byte[] h2c, int c2hLength) {
            this.h2c = h2c;
            this.c2h = new byte[c2hLength];
        }
    }

    private SpecTcpHost(Socket socket) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true);
        socket.setSoTimeout((int) DEFAULT_TIMEOUT.toMillis());
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Opens a TCP connection; nothing is sent yet. */
    public static SpecTcpHost open(String address, int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(address, port), (int) DEFAULT_TIMEOUT.toMillis());
        return new SpecTcpHost(s);
    }

    public void timeout(Duration timeout) throws SocketException {
        socket.setSoTimeout((int) timeout.toMillis());
    }

    // --- sending ---

    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public void send(PduBuilder pdu) throws IOException {
        sendRaw(pdu.encode());
    }

    /** A CapsuleCmd with this connection's digests and the data offset CPDA asks for. */
    public PduBuilder capsule(Sqe sqe, byte[] inCapsuleData) {
        PduBuilder p = PduBuilder.capsuleCmd(sqe.bytes()).digests(headerDigest, dataDigest);
        if (inCapsuleData != null && inCapsuleData.length > 0) {
            p.data(inCapsuleData).pad(alignmentPad(72 + (headerDigest ? 4 : 0)));
        }
        return p;
    }

    /** An H2CData PDU with this connection's digests and the data offset CPDA asks for. */
    public PduBuilder h2cData(int cccid, int ttag, int datao, byte[] data, boolean last) {
        PduBuilder p = PduBuilder.h2cData(cccid, ttag, datao, data.length).digests(headerDigest, dataDigest)
                .data(data).pad(alignmentPad(24 + (headerDigest ? 4 : 0)));
        return last ? p.flag(PduBuilder.FLAG_LAST_PDU) : p;
    }

    /** PAD bytes that bring data starting at {@code dataStart} to the (CPDA + 1) dword alignment. */
    public int alignmentPad(int dataStart) {
        int align = (cpda + 1) * 4;
        return (align - dataStart % align) % align;
    }

    // --- receiving ---

    /** Reads one PDU; EOFException when the target closed, SocketTimeoutException on silence. */
    public ReceivedPdu receive() throws IOException {
        byte[] common = new byte[8];
        in.readFully(common);
        int hlen = common[PduBuilder.OFF_HLEN] & 0xFF;
        long plen = Le.u32(common, PduBuilder.OFF_PLEN) & 0xFFFFFFFFL;
        if (hlen < 8 || plen < hlen || plen > MAX_PLEN) {
            throw new IOException("target sent a malformed PDU header " + Arrays.toString(common));
        }
        byte[] header = Arrays.copyOf(common, hlen);
        in.readFully(header, 8, hlen - 8);
        int type = header[0] & 0xFF;
        int flags = header[1] & 0xFF;
        boolean noDigests = type == PduBuilder.ICRESP || type == PduBuilder.C2H_TERM_REQ;
        long consumed = hlen;
        boolean headerOk = true;
        if (!noDigests && (flags & PduBuilder.FLAG_HDGSTF) != 0) {
            headerOk = in.readInt() == Integer.reverseBytes(PduBuilder.crc32c(header, 0, hlen)) ;
            consumed += 4;
        }
        int pdo = header[PduBuilder.OFF_PDO] & 0xFF;
        long dataStart = pdo != 0 ? pdo : consumed;
        if (dataStart < consumed || dataStart > plen) {
            throw new IOException("target sent PDO " + pdo + " outside its PDU: " + new ReceivedPdu(header, new byte[0], headerOk, true));
        }
        in.skipNBytes(dataStart - consumed);
        boolean ddgst = !noDigests && (flags & PduBuilder.FLAG_DDGSTF) != 0;
        long dataLength = plen - dataStart - (ddgst ? 4 : 0);
        if (dataLength < 0) {
            throw new IOException("target sent a PDU whose data digest does not fit in PLEN");
        }
        byte[] data = new byte[(int) dataLength];
        in.readFully(data);
        boolean dataOk = true;
        if (ddgst) {
            dataOk = in.readInt() == Integer.reverseBytes(PduBuilder.crc32c(data, 0, data.length));
        }
        return new ReceivedPdu(header, data, headerOk, dataOk);
    }

    /**
     * The C2HTermReq the target sends before closing, or null when it closed without one. A PDU of
     * another type, or silence until the timeout, is an error.
     */
    public ReceivedPdu expectTermination() throws IOException {
        try {
            ReceivedPdu pdu = receive();
            if (pdu.type() != PduBuilder.C2H_TERM_REQ) {
                throw new IOException("expected C2HTermReq, got " + pdu.describe());
            }
            return pdu;
        } catch (SocketTimeoutException e) {
            throw new IOException("neither a C2HTermReq nor a close within " + socket.getSoTimeout() + " ms", e);
        } catch (EOFException | SocketException e) {
            return null;
        }
    }

    /** True when the target closes (or resets) the connection within {@code within}; data read is dropped. */
    public boolean closedByPeerWithin(Duration within) throws IOException {
        long deadline = System.nanoTime() + within.toNanos();
        InputStream raw = socket.getInputStream();
        byte[] sink = new byte[8192];
        try {
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                socket.setSoTimeout((int) Math.max(1, left));
                if (raw.read(sink) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout((int) DEFAULT_TIMEOUT.toMillis());
            }
        }
    }

    // --- connection setup ---

    /** Sends an ICReq and reads the ICResp; the connection then uses the digests ICResp enabled. */
    public ReceivedPdu icReq(int hpda, int dgst, int maxr2t) throws IOException {
        send(PduBuilder.icReq(0, hpda, dgst, maxr2t));
        ReceivedPdu resp = receive();
        if (resp.type() != PduBuilder.ICRESP) {
            throw new IOException("expected ICResp, got " + resp.describe());
        }
        headerDigest = (resp.dgst() & 1) != 0;
        dataDigest = (resp.dgst() & 2) != 0;
        cpda = resp.cpda();
        maxH2cData = resp.maxH2cData();
        return resp;
    }

    public ReceivedPdu initialize() throws IOException {
        return icReq(0, 0, 0);
    }

    public int maxH2cData() {
        return maxH2cData;
    }

    public int cpda() {
        return cpda;
    }

    public boolean headerDigest() {
        return headerDigest;
    }

    public boolean dataDigest() {
        return dataDigest;
    }

    // --- commands ---

    public int nextCid() {
        int cid = nextCid;
        nextCid = nextCid == 0xFFFF ? 1 : nextCid + 1;
        return cid;
    }

    /**
     * Submits a command: gives it the next CID and, if its SGL is still empty, an in-capsule SGL for
     * {@code inCapsule}, or a transport SGL for {@code h2c} or {@code c2hLength}.
     */
    public int submit(Sqe sqe, byte[] inCapsule, byte[] h2c, int c2hLength) throws IOException {
        int cid = nextCid();
        sqe.cid(cid);
        if (sqe.sglIdentifier() == 0 && sqe.sglLength() == 0) {
            if (inCapsule != null) {
                sqe.inCapsuleSgl(inCapsule.length);
            } else if (h2c != null) {
                sqe.transportSgl(h2c.length);
            } else if (c2hLength > 0) {
                sqe.transportSgl(c2hLength);
            }
        }
        expect(cid, h2c, c2hLength);
        send(capsule(sqe, inCapsule));
        return cid;
    }

    /** Registers a command the test sends itself, so its R2Ts, C2HData and CQE are handled. */
    public void expect(int cid, byte[] h2c, int c2hLength) {
        pending.put(cid, new Pending(h2c, c2hLength));
    }

    public Completion execute(Sqe sqe, byte[] inCapsule, byte[] h2c, int c2hLength) throws IOException {
        return await(submit(sqe, inCapsule, h2c, c2hLength));
    }

    public Completion execute(Sqe sqe) throws IOException {
        return execute(sqe, null, null, 0);
    }

    /** Handles PDUs until the command with this CID completes. */
    public Completion await(int cid) throws IOException {
        while (!done.containsKey(cid)) {
            handle(receive());
        }
        return done.remove(cid);
    }

    /** Handles PDUs until any command completes and returns that completion. */
    public Completion awaitAny() throws IOException {
        while (done.isEmpty()) {
            handle(receive());
        }
        int cid = done.keySet().iterator().next();
        return done.remove(cid);
    }

    private void handle(ReceivedPdu pdu) throws IOException {
        if (!pdu.headerDigestOk() || !pdu.dataDigestOk()) {
            throw new IOException("target sent a PDU with a wrong digest: " + pdu.describe());
        }
        switch (pdu.type()) {
            case PduBuilder.CAPSULE_RESP -> {
                Cqe cqe = pdu.cqe();
                Pending p = pending.remove(cqe.cid());
                if (p == null) {
                    throw new IOException("completion for a CID the host did not submit: " + cqe);
                }
                done.put(cqe.cid(), new Completion(cqe, p.c2h, p.received, false));
            }
            case PduBuilder.C2H_DATA -> {
                Pending p = pending.get(pdu.cccid());
                if (p == null) {
                    throw new IOException("C2HData for a CID the host did not submit: " + pdu.describe());
                }
                long end = (long) pdu.dataOffset() + pdu.data().length;
                if (pdu.data().length != pdu.dataLength() || end > p.c2h.length) {
                    throw new IOException("C2HData outside the command's buffer of " + p.c2h.length + ": "
                            + pdu.describe());
                }
                System.arraycopy(pdu.data(), 0, p.c2h, pdu.dataOffset(), pdu.data().length);
                p.received += pdu.data().length;
                if (pdu.hasFlag(PduBuilder.FLAG_SUCCESS)) {
                    pending.remove(pdu.cccid());
                    done.put(pdu.cccid(), new Completion(Cqe.impliedSuccess(pdu.cccid()), p.c2h, p.received, true));
                }
            }
            case PduBuilder.R2T -> answerR2t(pdu);
            case PduBuilder.C2H_TERM_REQ -> throw new TermReqException(pdu);
            default -> throw new IOException("unexpected PDU from the target: " + pdu.describe());
        }
    }

    private void answerR2t(ReceivedPdu r2t) throws IOException {
        Pending p = pending.get(r2t.cccid());
        if (p == null || p.h2c == null) {
            throw new IOException("R2T for a command with no data to send: " + r2t.describe());
        }
        int from = r2t.dataOffset();
        int end = from + r2t.dataLength();
        if (from < 0 || end > p.h2c.length || end < from) {
            throw new IOException("R2T outside the command's data of " + p.h2c.length + ": " + r2t.describe());
        }
        for (int off = from; off < end; ) {
            int n = Math.min(maxH2cData, end - off);
            send(h2cData(r2t.cccid(), r2t.ttag(), off, Arrays.copyOfRange(p.h2c, off, off + n), off + n == end));
            off += n;
        }
    }

    // --- Fabrics helpers ---

    /** A stable HOSTID for a host NQN, so every queue of one host names the same host. */
    public static byte[] hostId(String hostnqn) {
        UUID u = UUID.nameUUIDFromBytes(hostnqn.getBytes(StandardCharsets.UTF_8));
        byte[] b = new byte[16];
        Le.put64(b, 0, Long.reverseBytes(u.getMostSignificantBits()));
        Le.put64(b, 8, Long.reverseBytes(u.getLeastSignificantBits()));
        return b;
    }

    public Completion connect(Sqe connect, byte[] data) throws IOException {
        return execute(connect, data, null, 0);
    }

    /** Admin queue Connect (QID 0, SQSIZE 31, CNTLID FFFFh); remembers the CNTLID it returns. */
    public Cqe connectAdmin(String hostnqn, String subnqn, int kato) throws IOException {
        Cqe cqe = connect(Commands.connect(0, 31, kato),
                Commands.connectData(hostId(hostnqn), 0xFFFF, subnqn, hostnqn)).cqe();
        if (cqe.success()) {
            cntlid = cqe.dw0() & 0xFFFF;
        }
        return cqe;
    }

    public Cqe connectIo(String hostnqn, String subnqn, int cntlid, int qid, int sqsize) throws IOException {
        return connect(Commands.connect(qid, sqsize, 0),
                Commands.connectData(hostId(hostnqn), cntlid, subnqn, hostnqn)).cqe();
    }

    public int cntlid() {
        return cntlid;
    }

    public Cqe propertySet(int offset, boolean eightBytes, long value) throws IOException {
        return execute(Commands.propertySet(offset, eightBytes, value)).cqe();
    }

    public Cqe propertyGet(int offset, boolean eightBytes) throws IOException {
        return execute(Commands.propertyGet(offset, eightBytes)).cqe();
    }

    /** Sets CC (EN=1, IOSQES=6, IOCQES=4) and waits for CSTS.RDY; fails on CSTS.CFS or a timeout. */
    public void enable() throws IOException {
        Cqe set = propertySet(Commands.PROP_CC, false, Commands.CC_ENABLE);
        if (!set.success()) {
            throw new IOException("Property Set CC failed: " + set);
        }
        long deadline = System.nanoTime() + DEFAULT_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Cqe csts = propertyGet(Commands.PROP_CSTS, false);
            if (!csts.success() || (csts.dw0() & 2) != 0) {
                throw new IOException("controller failed to enable: " + csts);
            }
            if ((csts.dw0() & 1) != 0) {
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        throw new IOException("CSTS.RDY did not become 1");
    }

    // --- admin and I/O helpers ---

    public Completion identify(int cns, int nsid) throws IOException {
        return execute(Commands.identify(cns, nsid), null, null, 4096);
    }

    public Completion getLogPage(int lid, int nsid, long offset, int length) throws IOException {
        return execute(Commands.getLogPage(lid, nsid, offset, length), null, null, length);
    }

    public Completion getFeatures(int fid, int dataLength) throws IOException {
        return execute(Commands.getFeatures(fid, 0), null, null, dataLength);
    }

    public Completion read(int nsid, long slba, int blocks, int blockSize) throws IOException {
        return execute(Commands.readWrite(Commands.OPC_READ, nsid, slba, blocks), null, null, blocks * blockSize);
    }

    /** A Write whose data travels in the capsule (PDO as CPDA requires, no extra padding). */
    public Completion writeInCapsule(int nsid, long slba, byte[] data, int blockSize) throws IOException {
        return execute(Commands.readWrite(Commands.OPC_WRITE, nsid, slba, data.length / blockSize), data, null, 0);
    }

    /** A Write whose data the target asks for with R2T PDUs. */
    public Completion writeByR2t(int nsid, long slba, byte[] data, int blockSize) throws IOException {
        return execute(Commands.readWrite(Commands.OPC_WRITE, nsid, slba, data.length / blockSize), null, data, 0);
    }

    public boolean isClosed() {
        return socket.isClosed();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a socket the target may already have closed
        }
    }
}
