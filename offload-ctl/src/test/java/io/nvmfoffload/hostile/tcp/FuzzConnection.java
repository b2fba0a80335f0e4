package io.nvmfoffload.hostile.tcp;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One NVMe/TCP connection of the fuzzed session, as the host sees it: what it negotiated, which
 * commands it has outstanding and which R2Ts it has not answered yet. Every PDU the target sends is
 * checked here against what any target must do whatever the host sent: correct digests, no Internal
 * Error status, data and R2Ts only for commands the host sent and only inside their buffers.
 */
final class FuzzConnection {
    /** How long the target may stay silent while it owes the host an answer. */
    static final Duration BOUND = Duration.ofSeconds(2);
    private static final int SC_INTERNAL_ERROR = 0x06;
    private static final int OPC_ASYNC_EVENT_REQUEST = 0x0C;
    private static final int OPC_FABRICS = 0x7F;

    enum Phase { NEW, IC_SENT, READY, CONNECTED, ENABLED }

    /** A command the host sent: its SQE as sent, the data an R2T asks for, and whether an answer is owed. */
    static final class Command {
        final byte[] sqe;
        final byte[] h2c;
        boolean owed;

        Command(byte[] sqe, byte[] h2c, boolean owed) {
            this.sqe = sqe;
            this.h2c = h2c;
            this.owed = owed;
        }

        int opcode() {
            return sqe[Sqe.OFF_OPCODE] & 0xFF;
        }

        int sglLength() {
            return Le.u32(sqe, Sqe.OFF_DPTR + 8);
        }

        /** Data transfer bits 1:0 of the opcode, or of FCTYPE for a Fabrics command. */
        int direction() {
            return (opcode() == OPC_FABRICS ? sqe[Sqe.OFF_FCTYPE] : sqe[Sqe.OFF_OPCODE]) & 3;
        }

        boolean isFabrics(int fctype) {
            return opcode() == OPC_FABRICS && (sqe[Sqe.OFF_FCTYPE] & 0xFF) == fctype;
        }
    }

    /** An R2T the host has not answered: the command, the transfer tag and the range asked for. */
    record R2t(int cid, int ttag, int offset, int length) {
    }

    final String name;
    private final SpecTcpHost host;
    private final FuzzSession session;
    final Map<Integer, Command> commands = new HashMap<>();
    final List<R2t> r2ts = new ArrayList<>();
    Phase phase = Phase.NEW;
    boolean headerDigest;
    boolean dataDigest;
    int cpda;
    int maxH2cData = 4096;
    int cntlid = -1;
    /** False once the host sent bytes whose framing the target may read differently. */
    boolean synced = true;
    /** The host reused a CID still outstanding: completions can no longer be matched. */
    boolean cidReused;
    boolean icOwed;
    boolean terminated;
    /** The target closed (or reset) the connection. */
    boolean ended;
    /** The host closed the socket itself. */
    boolean closed;
    private int nextCid = 1;

    FuzzConnection(String name, SpecTcpHost host, FuzzSession session) throws SocketException {
        this.name = name;
        this.host = host;
        this.session = session;
        host.timeout(BOUND);
    }

    boolean usable() {
        return !ended && !closed && !terminated;
    }

    int nextCid() {
        int cid = nextCid;
        nextCid = nextCid == 0xFFFF ? 1 : nextCid + 1;
        return cid;
    }

    // --- sending ---

    void sendIcReq(MutablePdu pdu) {
        if (pdu.framingChanged()) {
            synced = false;
        }
        icOwed = synced;
        if (phase == Phase.NEW) {
            phase = Phase.IC_SENT;
        }
        send(pdu.encode());
    }

    /** Sends a CapsuleCmd and remembers its command under the CID it finally carries. */
    void sendCommand(MutablePdu pdu, byte[] h2c) {
        if (pdu.framingChanged()) {
            synced = false;
        }
        int cid = pdu.cid();
        if (commands.containsKey(cid)) {
            cidReused = true;
        }
        Command c = new Command(pdu.specific.clone(), h2c, false);
        // an Asynchronous Event Request is answered only when an event occurs
        c.owed = synced && c.opcode() != OPC_ASYNC_EVENT_REQUEST;
        commands.put(cid, c);
        send(pdu.encode());
    }

    /** Any other PDU (H2CData, H2CTermReq, raw bytes); {@code keepsFraming} false desynchronizes. */
    void sendOther(byte[] wire, boolean keepsFraming) {
        if (!keepsFraming) {
            synced = false;
        }
        send(wire);
    }

    private void send(byte[] wire) {
        if (ended || closed) {
            return;
        }
        try {
            host.sendRaw(wire);
        } catch (IOException e) {
            ended = true;  // the target closed or reset the connection: an answer too
        }
    }

    // --- receiving ---

    /** True while the target owes the host an ICResp or a completion (or R2T) it can wait for. */
    boolean owesAnswer() {
        return usable() && synced && (icOwed || commands.values().stream().anyMatch(c -> c.owed));
    }

    /**
     * Reads until the target answered everything it owes, sent a C2HTermReq or closed. Silence for
     * {@link #BOUND} is a hang, unless the target may be waiting for data of an R2T the host left
     * unanswered.
     */
    void await() {
        while (owesAnswer()) {
            try {
                receiveOne();
            } catch (SocketTimeoutException e) {
                if (r2ts.isEmpty()) {
                    throw session.fail(name + ": no answer, C2HTermReq or close within " + BOUND.toMillis()
                            + " ms; owed: " + owed());
                }
                return;
            }
        }
    }

    /** Reads the PDUs the target already sent, without waiting for more. */
    void drain() {
        try {
            while (!ended && !closed && host.available() > 0) {
                receiveOne();
            }
        } catch (SocketTimeoutException e) {
            throw session.fail(name + ": the target stopped in the middle of a PDU for " + BOUND.toMillis() + " ms");
        } catch (IOException e) {
            ended = true;
        }
    }

    /**
     * The end of the session: the host half-closes and the target, whatever state the connection
     * is in, must answer what it still answers and close within the bound.
     */
    void finish() {
        if (ended || closed) {
            return;
        }
        try {
            host.shutdownOutput();
        } catch (IOException e) {
            ended = true;
            return;
        }
        long deadline = System.nanoTime() + 2 * BOUND.toNanos();
        while (!ended) {
            try {
                receiveOne();
            } catch (SocketTimeoutException e) {
                throw session.fail(name + ": still open " + BOUND.toMillis() + " ms after the host closed its side");
            }
            if (System.nanoTime() > deadline) {
                throw session.fail(name + ": still sending " + 2 * BOUND.toMillis() + " ms after the host closed its side");
            }
        }
    }

    void close() {
        closed = true;
        host.close();
    }

    /** Reads and checks one PDU; marks the connection ended at end of stream or reset. */
    private void receiveOne() throws SocketTimeoutException {
        ReceivedPdu pdu;
        try {
            pdu = host.receive();
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (EOFException | SocketException e) {
            ended = true;
            return;
        } catch (IOException e) {
            throw session.fail(name + ": the target sent what no host can parse: " + e.getMessage());
        }
        session.trace("  <- " + name + " " + pdu.describe());
        check(pdu);
    }

    private void check(ReceivedPdu pdu) {
        if (!pdu.headerDigestOk() || !pdu.dataDigestOk()) {
            throw session.fail(name + ": the target sent a wrong digest: " + pdu.describe());
        }
        boolean matched = synced && !cidReused;
        switch (pdu.type()) {
            case PduBuilder.ICRESP -> {
                if (synced && !icOwed) {
                    throw session.fail(name + ": ICResp the host did not ask for");
                }
                icOwed = false;
                headerDigest = (pdu.dgst() & 1) != 0;
                dataDigest = (pdu.dgst() & 2) != 0;
                cpda = pdu.cpda();
                maxH2cData = pdu.maxH2cData();
                if (phase.compareTo(Phase.READY) < 0) {
                    phase = Phase.READY;
                }
            }
            case PduBuilder.CAPSULE_RESP -> {
                Cqe cqe = pdu.cqe();
                if (cqe.sct() == Cqe.SCT_GENERIC && cqe.sc() == SC_INTERNAL_ERROR) {
                    throw session.fail(name + ": the target answered with Internal Error: " + cqe);
                }
                Command c = commands.remove(cqe.cid());
                r2ts.removeIf(r -> r.cid() == cqe.cid());
                if (c == null) {
                    if (matched) {
                        throw session.fail(name + ": a completion for a CID the host has not outstanding: " + cqe);
                    }
                    return;
                }
                completed(c, cqe);
            }
            case PduBuilder.C2H_DATA -> {
                Command c = commands.get(pdu.cccid());
                if (matched) {
                    checkTransfer(pdu, c, 2, "C2HData");
                    if (pdu.data().length != pdu.dataLength()) {
                        throw session.fail(name + ": C2HData DATAL is not its data's length: " + pdu.describe());
                    }
                }
                if (c != null && pdu.hasFlag(PduBuilder.FLAG_SUCCESS)) {
                    commands.remove(pdu.cccid());
                    completed(c, Cqe.impliedSuccess(pdu.cccid()));
                }
            }
            case PduBuilder.R2T -> {
                Command c = commands.get(pdu.cccid());
                if (matched) {
                    checkTransfer(pdu, c, 1, "R2T");
                }
                if (c != null) {
                    c.owed = false;  // the target now waits for the host's data
                }
                r2ts.add(new R2t(pdu.cccid(), pdu.ttag(), pdu.dataOffset(), pdu.dataLength()));
            }
            case PduBuilder.C2H_TERM_REQ -> {
                terminated = true;
                icOwed = false;
                commands.values().forEach(c -> c.owed = false);
            }
            default -> throw session.fail(name + ": the target sent a PDU no controller sends: " + pdu.describe());
        }
    }

    /** C2HData and R2T: for a command outstanding, of the direction that moves data that way, inside its SGL. */
    private void checkTransfer(ReceivedPdu pdu, Command c, int direction, String what) {
        if (c == null) {
            throw session.fail(name + ": " + what + " for a CID the host has not outstanding: " + pdu.describe());
        }
        if ((c.direction() & direction) == 0) {
            throw session.fail(name + ": " + what + " for a command whose opcode moves no data that way: " + pdu.describe());
        }
        long end = Integer.toUnsignedLong(pdu.dataOffset()) + Integer.toUnsignedLong(pdu.dataLength());
        if (pdu.dataLength() == 0 || end > Integer.toUnsignedLong(c.sglLength())) {
            throw session.fail(name + ": " + what + " outside the command's SGL of " + Integer.toUnsignedString(c.sglLength())
                    + " bytes: " + pdu.describe());
        }
    }

    /** A successful Connect connects the queue (and names the controller); Property Set CC.EN=1 enables it. */
    private void completed(Command c, Cqe cqe) {
        if (!cqe.success()) {
            return;
        }
        if (c.isFabrics(Commands.FCTYPE_CONNECT)) {
            phase = Phase.CONNECTED;
            if (Le.u16(c.sqe, Commands.CONNECT_OFF_QID) == 0) {
                cntlid = cqe.dw0() & 0xFFFF;
            }
        } else if (c.isFabrics(Commands.FCTYPE_PROPERTY_SET) && Le.u32(c.sqe, 44) == Commands.PROP_CC
                && (Le.u32(c.sqe, 48) & 1) != 0 && phase == Phase.CONNECTED) {
            phase = Phase.ENABLED;
        }
    }

    private String owed() {
        StringBuilder b = new StringBuilder(icOwed ? "ICResp " : "");
        commands.forEach((cid, c) -> {
            if (c.owed) {
                b.append(String.format("cid %d (opcode 0x%02x) ", cid, c.opcode()));
            }
        });
        return b.toString().trim();
    }
}
