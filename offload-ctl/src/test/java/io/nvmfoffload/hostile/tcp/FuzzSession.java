package io.nvmfoffload.hostile.tcp;

import io.nvmfoffload.hostile.tcp.FuzzConnection.Phase;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * One host session the fuzzer's bytes write, step by step, on an admin and an I/O connection. A
 * step is an op byte, a parameter byte and, for a step that sends a PDU, a mutation list (see
 * {@link MutablePdu#mutate}). The op's low six bits choose the action ({@link Op}); bit 7 sends it
 * on the other connection than the one it belongs to; bit 6 goes on without waiting for the answer.
 * {@link Op#SLEEP} pauses (with bits 7 and 6, once per input, up to a second) so that timers fire mid-session.
 * {@link Op#ADVANCE} sends the next PDU of a correct session (ICReq, admin Connect, CC.EN=1, ICReq
 * and Connect of the I/O queue, then writes and reads), so that unmutated steps reach the I/O phase.
 */
final class FuzzSession implements AutoCloseable {
    static final String HOSTNQN = "nqn.2014-08.org.nvmexpress:uuid:2a2b3c4d-0000-4000-8000-00000000f022";
    private static final int MAX_STEPS = 64;
    private static final int MAX_OPENS = 8;
    private static final int BLOCK = HostileTarget.BLOCK;

    enum Op {
        ADVANCE, ICREQ, CONNECT_ADMIN, CONNECT_IO, PROPERTY_SET, PROPERTY_GET, IDENTIFY, GET_LOG_PAGE, ADMIN_OTHER,
        WRITE_IN_CAPSULE, WRITE_R2T, H2C_DATA, READ, IO_OTHER, DISCONNECT, H2C_TERM_REQ, RAW, CLOSE, AWAIT, SLEEP;

        /** The connection an op belongs to: true for the I/O queue. */
        boolean onIo() {
            return this == CONNECT_IO || this == WRITE_IN_CAPSULE || this == WRITE_R2T || this == H2C_DATA
                    || this == READ || this == IO_OTHER;
        }
    }

    private static final Op[] OPS = Op.values();

    private final HostileTarget target;
    private final FuzzBytes in;
    private final StringBuilder trace = new StringBuilder();
    private final boolean printTrace = System.getenv("NVMF_FUZZ_TRACE") != null;  // a session step by step on stdout
    private final List<FuzzConnection> opened = new ArrayList<>();
    private FuzzConnection admin;
    private FuzzConnection io;
    private boolean advanceOnIo;
    private boolean sleptLong;

    FuzzSession(HostileTarget target, FuzzBytes in) {
        this.target = target;
        this.in = in;
    }

    /** Runs the steps the input describes, then ends every connection and checks that each closes. */
    void run() throws IOException {
        for (int step = 0; step < MAX_STEPS && in.more(); step++) {
            if (!step(step)) {
                break;
            }
        }
        for (FuzzConnection c : opened) {
            c.await();
        }
        for (FuzzConnection c : opened) {
            c.finish();
        }
    }

    private boolean step(int n) throws IOException {
        int op = in.u8();
        int param = in.u8();
        boolean other = (op & 0x80) != 0;
        boolean noWait = (op & 0x40) != 0;
        Op kind = OPS[(op & 0x3F) % OPS.length];
        boolean wantIo;
        if (kind == Op.ADVANCE) {
            kind = advance(param);
            wantIo = advanceOnIo;
            // a correct session: Connect to the NVM subsystem as QID 0 or 1, CC.EN=1
            if (kind == Op.CONNECT_ADMIN || kind == Op.CONNECT_IO || kind == Op.PROPERTY_SET) {
                param &= ~3;
            }
        } else {
            boolean either = kind == Op.ICREQ || kind == Op.RAW || kind == Op.H2C_TERM_REQ;
            wantIo = (either ? (param & 0x80) != 0 : kind.onIo()) ^ other;
        }
        if (kind == Op.AWAIT) {
            trace("step " + n + ": AWAIT");
            opened.forEach(FuzzConnection::await);
            return true;
        }
        if (kind == Op.SLEEP) {
            // lets the target's timers (keep-alive, checked every 500 ms) fire in the middle of a
            // session; long (0.5-1 s) only with bits 7 and 6 and a parameter from 80h, once per
            // input, or fuzzing slows to a crawl
            boolean longSleep = noWait && other && param >= 0x80 && !sleptLong;
            sleptLong |= longSleep;
            long millis = longSleep ? param * 4L : param / 16;
            trace("step " + n + ": SLEEP " + millis + " ms");
            LockSupport.parkNanos(millis * 1_000_000L);
            return true;
        }
        if (kind == Op.CLOSE) {
            FuzzConnection c = (param & 1) != 0 ? io : admin;
            trace("step " + n + ": CLOSE " + (c == null ? "nothing" : c.name));
            if (c != null) {
                c.close();
            }
            return true;
        }
        FuzzConnection c = connection(wantIo);
        if (c == null) {
            return false;
        }
        String what = send(kind, param, c);
        trace("step " + n + ": " + kind + (noWait ? " (no wait)" : "") + " on " + c.name + ": " + what);
        if (!noWait) {
            c.await();
        }
        for (FuzzConnection o : opened) {
            o.drain();
        }
        return true;
    }

    /**
     * The next PDU of a correct session, given how far it got, and its connection in
     * {@link #advanceOnIo}; a connection out of sync or ended is replaced by a new one.
     */
    private Op advance(int param) {
        advanceOnIo = false;
        if (admin != null) {
            admin.await();
        }
        if (admin == null || !admin.usable() || !admin.synced || admin.phase == Phase.IC_SENT) {
            admin = null;
            return Op.ICREQ;
        }
        switch (admin.phase) {
            case NEW:
                return Op.ICREQ;
            case READY:
                return Op.CONNECT_ADMIN;
            case CONNECTED:
                return Op.PROPERTY_SET;
            default:
                break;
        }
        advanceOnIo = true;
        if (io != null) {
            io.await();
        }
        if (io == null || !io.usable() || !io.synced || io.phase == Phase.IC_SENT) {
            io = null;
            return Op.ICREQ;
        }
        return switch (io.phase) {
            case NEW -> Op.ICREQ;
            case READY -> Op.CONNECT_IO;
            default -> switch (param & 3) {
                case 0 -> Op.WRITE_IN_CAPSULE;
                case 1 -> Op.WRITE_R2T;
                case 2 -> io.r2ts.isEmpty() ? Op.READ : Op.H2C_DATA;
                default -> Op.READ;
            };
        };
    }

    /** The admin or I/O connection, opened when there is none or it ended; null once the session opened too many. */
    private FuzzConnection connection(boolean wantIo) throws IOException {
        FuzzConnection c = wantIo ? io : admin;
        if (c == null || c.ended || c.closed) {
            c = open(wantIo ? "io" : "admin");
            if (wantIo) {
                io = c;
            } else {
                admin = c;
            }
        }
        return c;
    }

    private FuzzConnection open(String name) throws IOException {
        if (opened.size() >= MAX_OPENS) {
            return null;
        }
        FuzzConnection c = new FuzzConnection(name + opened.size(), target.open(), this);
        opened.add(c);
        return c;
    }

    /** Builds the op's PDU on {@code c}, lets the input mutate it and sends it; returns what was sent. */
    private String send(Op kind, int param, FuzzConnection c) {
        int blocks = 1 + (param >> 2 & 7);
        long slba = (param >> 5) * 8L;
        return switch (kind) {
            case ICREQ -> {
                MutablePdu p = MutablePdu.icReq(param >> 2 & 3, param & 3).mutate(in);
                c.sendIcReq(p);
                yield p.toString();
            }
            case CONNECT_ADMIN -> {
                String subnqn = (param & 1) != 0 ? HostileTarget.DISCOVERY_NQN : HostileTarget.SUBNQN;
                yield command(c, Commands.connect(0, 31, 0), connectData(0xFFFF, subnqn), null, 0);
            }
            case CONNECT_IO -> command(c, Commands.connect(1 + (param & 3), 31, 0),
                    connectData(admin != null && admin.cntlid >= 0 ? admin.cntlid : 0xFFFF, HostileTarget.SUBNQN), null, 0);
            case PROPERTY_SET -> command(c, Commands.propertySet(Commands.PROP_CC, false, switch (param & 3) {
                case 0 -> Commands.CC_ENABLE;
                case 1 -> 0;
                case 2 -> Commands.CC_ENABLE | 1 << 14;  // SHN 01b: normal shutdown
                default -> Commands.CC_ENABLE | 0x8000_0000L;
            }), null, null, 0);
            case PROPERTY_GET -> {
                int[] offsets = {Commands.PROP_CAP, Commands.PROP_VS, Commands.PROP_CC, Commands.PROP_CSTS};
                int offset = offsets[param & 3];
                yield command(c, Commands.propertyGet(offset, offset == Commands.PROP_CAP), null, null, 0);
            }
            case IDENTIFY -> command(c, Commands.identify(param & 0x1F, param >> 5 & 1), null, null, 4096);
            case GET_LOG_PAGE -> {
                int[] lids = {0x01, 0x02, 0x03, 0x04, 0x05, 0x70, 0x0C, 0x80};
                yield command(c, Commands.getLogPage(lids[param & 7], -1, 0, 512), null, null, 512);
            }
            case ADMIN_OTHER -> switch (param & 7) {
                case 0 -> command(c, Commands.getFeatures(param >> 3, 0), null, null, 0);
                case 1 -> command(c, Sqe.of(Commands.OPC_SET_FEATURES).cdw(10, param >> 3).cdw(11, 1), null, null, 0);
                case 2 -> command(c, Sqe.of(Commands.OPC_KEEP_ALIVE), null, null, 0);
                case 3 -> command(c, Sqe.of(0x0C), null, null, 0);  // Asynchronous Event Request
                case 4 -> command(c, Sqe.of(0x08).cdw(10, (param >> 3) << 16), null, null, 0);  // Abort
                default -> command(c, Sqe.of(param), null, null, 0);
            };
            case WRITE_IN_CAPSULE -> command(c, Commands.readWrite(Commands.OPC_WRITE, HostileTarget.NSID, slba, blocks),
                    HostileTarget.pattern(blocks * BLOCK, param), null, 0);
            case WRITE_R2T -> command(c, Commands.readWrite(Commands.OPC_WRITE, HostileTarget.NSID, slba, blocks),
                    null, HostileTarget.pattern(blocks * BLOCK, param), 0);
            case READ -> command(c, Commands.readWrite(Commands.OPC_READ, HostileTarget.NSID, slba, blocks),
                    null, null, blocks * BLOCK);
            case IO_OTHER -> switch (param & 3) {
                case 0 -> command(c, Sqe.of(Commands.OPC_FLUSH).nsid(HostileTarget.NSID), null, null, 0);
                case 1 -> command(c, Commands.deallocate(HostileTarget.NSID, 1),
                        Commands.dsmRanges(new long[][] {{slba, blocks}}), null, 0);
                case 2 -> command(c, Commands.readWrite(0x08, HostileTarget.NSID, slba, blocks), null, null, 0);  // Write Zeroes
                default -> command(c, Sqe.of(param >> 2).nsid(HostileTarget.NSID), null, null, 0);
            };
            case DISCONNECT -> command(c, Commands.disconnect(), null, null, 0);
            case H2C_DATA -> h2cData(c, param);
            case H2C_TERM_REQ -> {
                MutablePdu p = MutablePdu.termReq(param & 7, 0).mutate(in);
                c.sendOther(p.encode(), false);  // the target closes: nothing after it is read
                yield p.toString();
            }
            case RAW -> {
                byte[] raw = in.take(param);
                c.sendOther(raw, false);
                yield raw.length + " raw bytes";
            }
            default -> throw new IllegalStateException(kind.toString());
        };
    }

    private static byte[] connectData(int cntlid, String subnqn) {
        return Commands.connectData(SpecTcpHost.hostId(HOSTNQN), cntlid, subnqn, HOSTNQN);
    }

    /** A command with in-capsule data, data for R2Ts, or a C2H buffer, as a correct host describes it. */
    private String command(FuzzConnection c, Sqe sqe, byte[] inCapsule, byte[] h2c, int c2hLength) {
        sqe.cid(c.nextCid());
        if (inCapsule != null) {
            sqe.inCapsuleSgl(inCapsule.length);
        } else if (h2c != null) {
            sqe.transportSgl(h2c.length);
        } else if (c2hLength > 0) {
            sqe.transportSgl(c2hLength);
        }
        MutablePdu p = MutablePdu.capsule(sqe, inCapsule, c.headerDigest, c.dataDigest, c.cpda).mutate(in);
        c.sendCommand(p, h2c);
        return String.format("cid %d opcode 0x%02x %s", p.cid(), p.specific[0] & 0xFF, p);
    }

    /**
     * Answers the R2T the parameter picks with H2CData PDUs of at most MAXH2CDATA bytes, the first
     * of them mutated; without an R2T, sends H2CData for a transfer that does not exist.
     */
    private String h2cData(FuzzConnection c, int param) {
        if (c.r2ts.isEmpty()) {
            MutablePdu p = MutablePdu.h2cData(param, param, 0, new byte[BLOCK], true, c.headerDigest, c.dataDigest, c.cpda)
                    .mutate(in);
            c.sendOther(p.encode(), !p.framingChanged());
            return "unsolicited " + p;
        }
        FuzzConnection.R2t r = c.r2ts.remove(param % c.r2ts.size());
        FuzzConnection.Command cmd = c.commands.get(r.cid());
        long end = Integer.toUnsignedLong(r.offset()) + Integer.toUnsignedLong(r.length());
        byte[] source = cmd != null && cmd.h2c != null && end <= cmd.h2c.length ? cmd.h2c : new byte[(int) Math.min(end, 1 << 20)];
        int chunk = Math.max(BLOCK, c.maxH2cData);
        long limit = Math.min(end, source.length);
        boolean mutated = false;
        StringBuilder what = new StringBuilder("for ").append(r);
        for (long off = r.offset(); off < limit; off += chunk) {
            int n = (int) Math.min(chunk, limit - off);
            MutablePdu p = MutablePdu.h2cData(r.cid(), r.ttag(), (int) off, Arrays.copyOfRange(source, (int) off, (int) off + n),
                    off + n == end, c.headerDigest, c.dataDigest, c.cpda);
            if (off == r.offset()) {
                p.mutate(in);
                mutated = p.mutated();
                what.append(' ').append(p);
            }
            c.sendOther(p.encode(), !p.framingChanged());
        }
        if (cmd != null && !mutated && limit == end && r.offset() < end) {
            cmd.owed = c.synced;  // all the data the R2T asked for: the target owes the next R2T or the completion
        }
        return what.toString();
    }

    void trace(String line) {
        if (trace.length() < 64 * 1024) {
            trace.append(line).append('\n');
        }
        if (printTrace) {
            System.out.println(line);
        }
    }

    /** A finding: what went wrong and the steps that led there. */
    AssertionError fail(String message) {
        return new AssertionError(message + "\nsession:\n" + trace);
    }

    @Override
    public void close() {
        opened.forEach(FuzzConnection::close);
    }
}
