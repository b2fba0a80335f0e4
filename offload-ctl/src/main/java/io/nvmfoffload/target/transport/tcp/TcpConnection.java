package io.nvmfoffload.target.transport.tcp;

import io.nvmfoffload.nvme.spec.NvmeStatus;
import io.nvmfoffload.nvme.spec.SubmissionQueueEntry;
import io.nvmfoffload.target.HostLog;
import io.nvmfoffload.target.Port;
import io.nvmfoffload.target.core.DataDirection;
import io.nvmfoffload.target.core.NvmfQueue;
import io.nvmfoffload.target.core.QueueTransport;
import io.nvmfoffload.target.core.Request;
import io.nvmfoffload.target.core.RequestState;
import io.nvmfoffload.target.core.TargetCore;
import io.nvmfoffload.target.transport.tcp.ddp.UlpDdpDevice;
import io.nvmfoffload.target.transport.tcp.ddp.UlpDdpSocket;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.util.zip.CRC32C;

/**
 * One NVMe/TCP queue pair. Its receive side runs on a thread of its own (see TcpTransport); its
 * transmit side ({@link PduTransmitter}) is shared by that thread and by whoever completes a
 * request later (an AER). Request slots and their buffers are made once.
 *
 * <p>Payload placement follows the listener's {@link UlpDdpDevice} model: on an offloaded socket
 * in-capsule data and the H2C data of I/Os set up for placement are read straight into the
 * command's buffer, and with nvme-tcp-ddgst-rx the data digest is computed chunk by chunk as the
 * bytes land; otherwise payload goes through a receive buffer and a copy, and the digest is a
 * second pass over the data. A data digest mismatch is not fatal: the command completes with
 * Transient Transport Error (DNR clear), so the host retries it, and the connection carries on.
 */
final class TcpConnection implements QueueTransport, Runnable {
    private static final System.Logger LOG = System.getLogger(TcpConnection.class.getName());
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** MAXH2CDATA: one R2T covers the largest command (MDTS), so a write needs one R2T. */
    static final int MAX_H2C_DATA = TargetCore.MAX_TRANSFER_BYTES;
    static final int SENDFILE_MIN_BYTES = 32 * 1024;
    /** Slots before CONNECT tells the queue size: enough for the admin queue. */
    private static final int INITIAL_SLOTS = 32;
    /** Bytes of in-capsule data the admin queue takes whatever the port says: a Connect's 1 KiB and more. */
    private static final int ADMIN_IN_CAPSULE = 8192;

    private final SocketChannel channel;
    private final Port port;
    private final NvmfQueue queue;
    private final Runnable onClose;
    private final String description;
    private final Arena arena = Arena.ofShared();

    // receive side: touched only by the reader thread
    private final MemorySegment rxHeader = arena.allocate(128 + Pdu.DIGEST, 8);
    private final ByteBuffer rxHeaderBuf = rxHeader.asByteBuffer();
    private final MemorySegment rxDigest = arena.allocate(Pdu.DIGEST);
    private final ByteBuffer rxDigestBuf = rxDigest.asByteBuffer();
    private final CRC32C rxCrc = new CRC32C();
    private final UlpDdpDevice ddpDevice;
    private final TcpCounters counters;
    private UlpDdpSocket ddp;
    /** Before ICReq: straight reads with no buffer of its own; after it, as the socket's DDP state says. */
    private ReceiveStream rx;

    private final PduTransmitter tx;
    private final ArrivalSpin spin;
    private final DataBufferPool pool;
    private final HostLog hostLog;
    /** Where in-capsule data lands: commands run as soon as it is in, so one buffer serves them all. */
    private MemorySegment capsuleBuffer = MemorySegment.NULL;
    private ConnectionBuffers buffers;
    /** Commands that found no data buffer, in arrival order; started as buffers come back. */
    private final java.util.ArrayDeque<Slot> waitingForBuffer = new java.util.ArrayDeque<>();
    /** Skipped bytes (PDO padding, refused payloads) go here, never over a header still in use. */
    private final ByteBuffer discard = arena.allocate(4096).asByteBuffer();

    // read by the transport's watchdog (see TcpTransport): when this queue last made progress
    private final long acceptedNanos = System.nanoTime();
    private volatile boolean connectedToController;
    /** When the PDU being received started arriving; 0 between PDUs. */
    private volatile long pduStartedNanos;
    /** R2Ts sent whose data is not all in. */
    private volatile int r2tOutstanding;
    private volatile long lastH2cProgressNanos;
    /** Commands received whose response has not been sent: at most the queue's size. */
    private int outstanding;

    private boolean headerDigest;
    private boolean dataDigest;
    private Slot[] slots = new Slot[0];
    private int[] freeSlots = new int[0];
    private int freeCount;
    private volatile boolean closed;

    /** A request with its data buffer and the progress of its host-to-controller transfer. */
    private static final class Slot {
        final Request request;
        MemorySegment buffer = MemorySegment.NULL;
        int expected;
        int received;
        /** ddp_setup accepted this I/O: its H2C payload is placed, and teardown is due. */
        boolean ddpSetup;
        /** A data PDU of this I/O failed its digest: the command fails once all its data is in. */
        boolean digestFailed;

        Slot(Request request) {
            this.request = request;
        }
    }

    TcpConnection(TargetCore core, Port port, SocketChannel channel, UlpDdpDevice ddpDevice,
                  TcpCounters counters, DataBufferPool pool, HostLog hostLog, Runnable onClose) throws IOException {
        this.channel = channel;
        this.pool = pool;
        this.hostLog = hostLog;
        this.counters = counters;
        this.tx = new PduTransmitter(channel, arena, counters);
        this.spin = ArrivalSpin.fromProperties(channel);
        this.ddpDevice = ddpDevice;
        this.rx = new ReceiveStream(channel, ByteBuffer.allocate(0), false);
        this.port = port;
        this.onClose = onClose;
        this.description = "tcp " + port.address() + ":" + port.serviceId() + " <- " + channel.getRemoteAddress();
        this.queue = core.openQueue(port, this);
        growSlots(INITIAL_SLOTS);
    }

    @Override
    public String describe() {
        return description;
    }

    /**
     * The queue's Fabrics Connect succeeded: only now does it take its data buffer from the port's
     * pool, so connections that never log in cannot empty it. With none left the connection is
     * closed (back-pressure on new hosts; the ones connected keep theirs).
     */
    @Override
    public void connected(NvmfQueue connectedQueue) {
        buffers = ConnectionBuffers.open(pool);
        if (buffers == null) {
            disconnect("the port's " + pool.capacity() + " data buffers are all in use (data_buffer_pool_size)");
            return;
        }
        connectedToController = true;
    }

    /**
     * Why this connection should be closed now, or null: no Fabrics Connect within the connect
     * timeout, a PDU left half-sent, or R2T data not sent, for longer than the PDU timeout.
     */
    String overdue(long now, io.nvmfoffload.target.HostLimits limits) {
        if (!connectedToController && now - acceptedNanos > limits.connectTimeoutMillis() * 1_000_000L) {
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

    /** Data buffers this connection holds now (for tests and status). */
    int buffersInUse() {
        ConnectionBuffers b = buffers;
        return b == null ? 0 : b.inUse();
    }

    @Override
    public void run() {
        try {
            initialize();
            while (!closed) {
                // the arrival spin is for hosts that do I/O: not for a queue still connecting
                if (connectedToController && !rx.hasUnreadBytes()) {
                    spin.awaitBytes();
                }
                receivePdu();
                pduStartedNanos = 0;
                startWaitingCommands();
            }
        } catch (TcpProtocolException e) {
            hostLog.log(System.Logger.Level.WARNING, "{0}: {1}; sending C2HTermReq (FES {2}, FEI {3})",
                    description, e.getMessage(), e.fes, e.fei);
            try {
                tx.sendTermination(e.fes, e.fei);
            } catch (IOException notSent) {
                LOG.log(System.Logger.Level.DEBUG, "{0}: C2HTermReq not sent: {1}", description, notSent.getMessage());
            }
        } catch (EOFException | java.nio.channels.ClosedChannelException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: host closed the connection", description);
        } catch (IOException e) {
            if (!closed) {
                LOG.log(System.Logger.Level.INFO, "{0}: {1}", description, e.getMessage());
            }
        } finally {
            shutdown();
        }
    }

    // --- receive ---

    private void initialize() throws IOException, TcpProtocolException {
        readFully(rxHeaderBuf.clear().limit(1));
        pduStartedNanos = System.nanoTime();
        // the common header first: a first PDU that is not an ICReq is refused without waiting for 128 bytes
        readFully(rxHeaderBuf.limit(Pdu.COMMON_HEADER));
        int type = u8(rxHeader, Pdu.TYPE);
        if (type != Pdu.IC_REQ) {
            throw new TcpProtocolException(Pdu.FES_PDU_SEQUENCE_ERROR, Pdu.TYPE,
                    "the first PDU is " + Pdu.typeName(type) + ", not ICReq");
        }
        if (u8(rxHeader, Pdu.HLEN) != Pdu.IC_LENGTH) {
            throw new TcpProtocolException(Pdu.FES_INVALID_HEADER_FIELD, Pdu.HLEN, "ICReq HLEN is not 128");
        }
        if (rxHeader.get(U32, Pdu.PLEN) != Pdu.IC_LENGTH) {
            throw new TcpProtocolException(Pdu.FES_INVALID_HEADER_FIELD, Pdu.PLEN, "ICReq PLEN is not 128");
        }
        readFully(rxHeaderBuf.limit(Pdu.IC_LENGTH));
        if (rxHeader.get(U16, Pdu.IC_PFV) != 0) {
            throw new TcpProtocolException(Pdu.FES_INVALID_HEADER_FIELD, Pdu.IC_PFV,
                    "ICReq PFV " + rxHeader.get(U16, Pdu.IC_PFV) + " is not 0");
        }
        if (u8(rxHeader, Pdu.IC_HPDA_CPDA) > 31) {
            throw new TcpProtocolException(Pdu.FES_INVALID_HEADER_FIELD, Pdu.IC_HPDA_CPDA, "ICReq HPDA above 31");
        }
        // bits 2-7 of DGST are reserved: what we answer is only what we enable
        int dgst = u8(rxHeader, Pdu.IC_DGST) & 0x3;
        headerDigest = (dgst & 1) != 0;
        dataDigest = (dgst & 2) != 0;
        capsuleBuffer = arena.allocate(Math.max(port.inCapsuleDataSize(), ADMIN_IN_CAPSULE), 4096);
        ddp = ddpDevice.addSocket();
        // 64 KiB: a 128 KiB write arrives in two reads; enough PDUs per read at 4 KiB
        rx = new ReceiveStream(channel, arena.allocate(64 * 1024, 4096).asByteBuffer(), !ddp.offloaded());
        tx.sendIcResp(dgst, MAX_H2C_DATA);
        pduStartedNanos = 0;
    }

    private void receivePdu() throws IOException, TcpProtocolException {
        if (ddp.atPduHeader(rx.offset())) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: DDP resync at stream offset {1}", description, rx.offset());
        }
        readFully(rxHeaderBuf.clear().limit(1));  // waits, idle, for the next PDU
        pduStartedNanos = System.nanoTime();
        readFully(rxHeaderBuf.limit(Pdu.COMMON_HEADER));
        int type = u8(rxHeader, Pdu.TYPE);
        int flags = u8(rxHeader, Pdu.FLAGS);
        int hlen = u8(rxHeader, Pdu.HLEN);
        if (type == Pdu.IC_REQ) {
            throw new TcpProtocolException(Pdu.FES_PDU_SEQUENCE_ERROR, Pdu.TYPE, "a second ICReq on an initialized connection");
        }
        int expectedHlen = switch (type) {
            case Pdu.CAPSULE_CMD -> Pdu.CAPSULE_CMD_HLEN;
            case Pdu.H2C_DATA -> Pdu.DATA_HLEN;
            case Pdu.H2C_TERM_REQ -> Pdu.TERM_HLEN;
            default -> throw new TcpProtocolException(Pdu.FES_INVALID_HEADER_FIELD, Pdu.TYPE,
                    Pdu.typeName(type) + " is not a PDU a host sends after initialization");
        };
        if (hlen != expectedHlen) {
            throw new TcpProtocolException(Pdu.FES_INVALID_HEADER_FIELD, Pdu.HLEN,
                    Pdu.typeName(type) + " HLEN " + hlen + ", expected " + expectedHlen);
        }
        boolean hasHeaderDigest = headerDigest && type != Pdu.H2C_TERM_REQ;
        if (hasHeaderDigest && (flags & Pdu.FLAG_HDGST) == 0) {
            throw new TcpProtocolException(Pdu.FES_INVALID_HEADER_FIELD, Pdu.FLAGS,
                    Pdu.typeName(type) + " lacks the header digest that was negotiated");
        }
        readFully(rxHeaderBuf.limit(hlen + (hasHeaderDigest ? Pdu.DIGEST : 0)));
        if (hasHeaderDigest) {
            int sent = rxHeader.get(U32, hlen);
            int computed = Pdu.digest(rxCrc, rxHeader, 0, hlen);
            if (sent != computed) {
                throw new TcpProtocolException(Pdu.FES_HEADER_DIGEST_ERROR, hlen, String.format(
                        "%s header digest 0x%08x, computed 0x%08x", Pdu.typeName(type), sent, computed));
            }
        }
        switch (type) {
            case Pdu.CAPSULE_CMD -> receiveCommand(flags, hlen, hasHeaderDigest);
            case Pdu.H2C_DATA -> receiveData(flags, hlen, hasHeaderDigest);
            default -> {
                LOG.log(System.Logger.Level.INFO, "{0}: host sent H2CTermReq (FES {1})", description, rxHeader.get(U16, Pdu.TERM_FES));
                closed = true;
            }
        }
    }

    private void receiveCommand(int flags, int hlen, boolean hasHeaderDigest) throws IOException, TcpProtocolException {
        int plen = rxHeader.get(U32, Pdu.PLEN);
        int pdo = u8(rxHeader, Pdu.PDO);
        int headerEnd = hlen + (hasHeaderDigest ? Pdu.DIGEST : 0);
        boolean hasDataDigest = dataDigest && (flags & Pdu.FLAG_DDGST) != 0;
        if (Integer.compareUnsigned(plen, headerEnd) < 0) {
            throw new TcpProtocolException(Pdu.FES_INVALID_HEADER_FIELD, Pdu.PLEN,
                    "CapsuleCmd PLEN " + Integer.toUnsignedString(plen) + " is shorter than its header (" + headerEnd + ")");
        }
        long inCapsuleBytes = plen == headerEnd ? 0 : Integer.toUnsignedLong(plen) - pdo - (hasDataDigest ? Pdu.DIGEST : 0);
        // CPDA is 0 in our ICResp: data starts on a dword boundary at or after the header
        if (plen != headerEnd && (pdo < headerEnd || pdo % 4 != 0 || inCapsuleBytes <= 0)) {
            throw new TcpProtocolException(Pdu.FES_INVALID_HEADER_FIELD, Pdu.PDO,
                    "CapsuleCmd PDO " + pdo + " / PLEN " + Integer.toUnsignedString(plen) + " do not describe in-capsule data after the header");
        }
        int limit = queue.qid() > 0 ? port.inCapsuleDataSize() : Math.max(port.inCapsuleDataSize(), 8192);
        if (inCapsuleBytes > limit) {
            throw new TcpProtocolException(Pdu.FES_DATA_LIMIT_EXCEEDED, Pdu.PLEN,
                    "CapsuleCmd carries " + inCapsuleBytes + " bytes of data, the in-capsule limit is " + limit);
        }
        int inCapsule = (int) inCapsuleBytes;
        // the SQE is taken before anything else is read: the header buffer is not read into again
        Slot slot = takeSlot();
        Request request = slot.request;
        MemorySegment.copy(rxHeader, Pdu.COMMON_HEADER, request.command(), 0, SubmissionQueueEntry.SIZE);
        request.transition(RequestState.NEW);
        request.transition(RequestState.NEED_BUFFER);
        skip(pdo - headerEnd > 0 && inCapsule > 0 ? pdo - headerEnd : 0);

        MemorySegment sgl = request.command().asSlice(SubmissionQueueEntry.DPTR, 16);
        int sglId = u8(sgl, 15);
        int sglLength = sgl.get(U32, 8);
        DataDirection direction = request.direction();
        if (direction == DataDirection.NONE || sglLength == 0) {
            if (inCapsule > 0) {
                drain(inCapsule, hasDataDigest);
            }
            request.data(MemorySegment.NULL);
            ready(request);
            return;
        }
        if (direction == DataDirection.BIDIRECTIONAL) {
            drain(inCapsule, hasDataDigest);
            rejectAndRespond(slot, NvmeStatus.INVALID_FIELD_IN_COMMAND);
            return;
        }
        if (sglLength < 0 || sglLength > TargetCore.MAX_TRANSFER_BYTES) {
            drain(inCapsule, hasDataDigest);
            rejectAndRespond(slot, NvmeStatus.DATA_SGL_LENGTH_INVALID);
            return;
        }
        if (sglId == 0x01) {  // data block, offset subtype: the data is in this capsule
            if (inCapsule != sglLength || direction != DataDirection.HOST_TO_CONTROLLER) {
                drain(inCapsule, hasDataDigest);
                rejectAndRespond(slot, NvmeStatus.DATA_SGL_LENGTH_INVALID);
                return;
            }
            MemorySegment data = capsuleBuffer.asSlice(0, sglLength);
            request.data(data);
            request.transition(RequestState.TRANSFERRING_HOST_TO_CONTROLLER);
            // in-capsule data lands in the slot's buffer, which the model treats as a receive
            // buffer posted for the queue: it needs no per-I/O setup
            if (receivePayload(data, hasDataDigest, ddp.offloaded())) {
                ready(request);
            } else {
                rejectAndRespond(slot, NvmeStatus.TRANSIENT_TRANSPORT_ERROR, false);
            }
        } else if (sglId == 0x5A) {  // transport data block: R2T for writes, C2HData for reads
            if (inCapsule > 0) {
                drain(inCapsule, hasDataDigest);
                rejectAndRespond(slot, NvmeStatus.INVALID_FIELD_IN_COMMAND);
                return;
            }
            slot.expected = sglLength;
            if (buffers == null) {
                // before its Connect a queue has no data buffers, and nothing but a Connect runs
                rejectAndRespond(slot, NvmeStatus.COMMAND_SEQUENCE_ERROR);
            } else if (waitingForBuffer.isEmpty() && acquireBuffer(slot)) {
                startTransfer(slot);
            } else {
                waitingForBuffer.add(slot);  // started in order as buffers come back
            }
        } else {
            drain(inCapsule, hasDataDigest);
            rejectAndRespond(slot, NvmeStatus.SGL_DESCRIPTOR_TYPE_INVALID);
        }
    }

    private void receiveData(int flags, int hlen, boolean hasHeaderDigest) throws IOException, TcpProtocolException {
        int ttag = rxHeader.get(U16, Pdu.TTAG) & 0xFFFF;
        int cccid = rxHeader.get(U16, Pdu.CCCID) & 0xFFFF;
        int datao = rxHeader.get(U32, Pdu.DATAO);
        int datal = rxHeader.get(U32, Pdu.DATAL);
        int pdo = u8(rxHeader, Pdu.PDO);
        int plen = rxHeader.get(U32, Pdu.PLEN);
        boolean hasDataDigest = dataDigest && (flags & Pdu.FLAG_DDGST) != 0;
        int headerEnd = hlen + (hasHeaderDigest ? Pdu.DIGEST : 0);
        if (ttag >= slots.length || slots[ttag].request.state() != RequestState.TRANSFERRING_HOST_TO_CONTROLLER) {
            throw new TcpProtocolException(Pdu.FES_INVALID_HEADER_FIELD, Pdu.TTAG, "H2CData for unknown transfer tag " + ttag);
        }
        Slot slot = slots[ttag];
        if (slot.request.sqe().cid() != cccid) {
            throw new TcpProtocolException(Pdu.FES_INVALID_HEADER_FIELD, Pdu.CCCID,
                    "H2CData CCCID " + cccid + " does not match tag " + ttag + "'s command " + slot.request.sqe().cid());
        }
        if (datal <= 0) {
            throw new TcpProtocolException(Pdu.FES_INVALID_HEADER_FIELD, Pdu.DATAL, "H2CData DATAL " + Integer.toUnsignedString(datal));
        }
        if (datao != slot.received || datal > slot.expected - slot.received || datal > MAX_H2C_DATA) {
            throw new TcpProtocolException(Pdu.FES_DATA_OUT_OF_RANGE, Pdu.DATAO, "H2CData offset " + datao + " length "
                    + datal + " outside the " + slot.expected + " bytes requested (" + slot.received + " received)");
        }
        if (pdo < headerEnd || pdo % 4 != 0 || plen != pdo + datal + (hasDataDigest ? Pdu.DIGEST : 0)) {
            throw new TcpProtocolException(Pdu.FES_INVALID_HEADER_FIELD, Pdu.PLEN, "H2CData PDO/PLEN inconsistent with DATAL");
        }
        skip(pdo - headerEnd);
        if (!receivePayload(slot.request.data().asSlice(datao, datal), hasDataDigest, slot.ddpSetup)) {
            slot.digestFailed = true;
        }
        slot.received += datal;
        lastH2cProgressNanos = System.nanoTime();
        if (slot.received == slot.expected) {
            r2tOutstanding--;
            if (slot.digestFailed) {
                rejectAndRespond(slot, NvmeStatus.TRANSIENT_TRANSPORT_ERROR, false);
            } else {
                ready(slot.request);
            }
        }
    }

    private void ready(Request request) {
        request.transition(RequestState.READY_TO_EXECUTE);
        queue.execute(request);
    }

    /**
     * Reads one PDU's payload into {@code target}, placed or copied (see the class comment), and
     * checks its data digest: during the read when the offload verifies digests, after it when not.
     *
     * @return false when the data digest did not match
     */
    private boolean receivePayload(MemorySegment target, boolean hasDataDigest, boolean place) throws IOException {
        boolean digestInPass = hasDataDigest && ddp.verifiesDataDigest();
        if (digestInPass) {
            rxCrc.reset();
        }
        long length = target.byteSize();
        int copied = rx.readPayload(target.asByteBuffer(), place && ddp.offloaded(), digestInPass ? rxCrc : null);
        if (copied > 0) {
            ddp.copied(copied);
        }
        if (copied < length) {
            ddp.placed(length - copied);
        }
        if (!hasDataDigest) {
            return true;
        }
        rx.readFully(rxDigestBuf.clear());
        int sent = rxDigest.get(U32, 0);
        int computed = digestInPass ? (int) rxCrc.getValue() : Pdu.digest(rxCrc, target, 0, length);
        if (sent == computed) {
            return true;
        }
        if (digestInPass) {
            ddp.drop();
        }
        hostLog.log(System.Logger.Level.WARNING, String.format("%s: data digest 0x%08x, computed 0x%08x over %d bytes (checked %s): "
                        + "the data was corrupted in flight; the command fails with Transient Transport Error and the host retries it",
                description, sent, computed, length, digestInPass ? "by the DDP offload model" : "in software"));
        return false;
    }

    private void drain(int bytes, boolean hasDataDigest) throws IOException {
        skip(bytes + (hasDataDigest ? Pdu.DIGEST : 0));
    }

    private void skip(int bytes) throws IOException {
        while (bytes > 0) {
            int n = Math.min(bytes, discard.capacity());
            readFully(discard.clear().limit(n));
            bytes -= n;
        }
    }

    // --- data buffers ---

    /** Gives the slot a buffer for its transfer; false when the connection must wait for one. */
    private boolean acquireBuffer(Slot slot) {
        if (buffers == null) {
            return false;  // not connected: the caller refuses the command
        }
        MemorySegment buffer = buffers.tryAcquire();
        if (buffer == null) {
            return false;
        }
        slot.buffer = buffer;
        slot.request.data(buffer.asSlice(0, slot.expected));
        return true;
    }

    /** A command with a buffer: a read runs now; a write asks for its data with an R2T. */
    private void startTransfer(Slot slot) throws IOException {
        Request request = slot.request;
        if (request.direction() == DataDirection.CONTROLLER_TO_HOST) {
            ready(request);
            return;
        }
        slot.received = 0;
        slot.ddpSetup = ddp.setup(slotIndex(slot), slots.length, slot.expected);
        request.transition(RequestState.TRANSFERRING_HOST_TO_CONTROLLER);
        if (r2tOutstanding++ == 0) {
            lastH2cProgressNanos = System.nanoTime();
        }
        tx.sendR2t(request.sqe().cid(), slotIndex(slot), slot.expected);
    }

    /** Starts commands that waited for a buffer, in order, while buffers are there. */
    private void startWaitingCommands() throws IOException {
        Slot next;
        while ((next = waitingForBuffer.peek()) != null && acquireBuffer(next)) {
            waitingForBuffer.poll();
            startTransfer(next);
        }
    }

    private void readFully(ByteBuffer buf) throws IOException {
        rx.readFully(buf);
    }

    // --- slots ---

    private void growSlots(int count) {
        if (count <= slots.length) {
            return;
        }
        Slot[] grown = java.util.Arrays.copyOf(slots, count);
        int[] free = java.util.Arrays.copyOf(freeSlots, count);
        synchronized (this) {
            for (int i = slots.length; i < count; i++) {
                grown[i] = new Slot(new Request(arena, i));
                free[freeCount++] = i;
            }
            slots = grown;
            freeSlots = free;
        }
    }

    /**
     * A free slot for a new command. The host may have at most its queue's size (SQSIZE + 1)
     * commands outstanding; a response counts as done once it is sent, so slots are twice that
     * (as nvmet-tcp's) for the moment between a response going out and its slot coming back.
     */
    private Slot takeSlot() throws TcpProtocolException {
        int size = queue.entries() == 0 ? INITIAL_SLOTS : queue.entries();
        if (freeCount == 0 && slots.length < 2 * size) {
            // made as the host uses them, up to twice its queue's size
            growSlots(Math.min(2 * size, Math.max(INITIAL_SLOTS, 2 * slots.length)));
        }
        synchronized (this) {
            if (outstanding >= size || freeCount == 0) {
                throw new TcpProtocolException(Pdu.FES_PDU_SEQUENCE_ERROR, 0,
                        "the host has more than " + size + " commands outstanding, its queue's size");
            }
            outstanding++;
            return slots[freeSlots[--freeCount]];
        }
    }

    private synchronized void responseSent() {
        outstanding--;
    }

    private synchronized void releaseSlot(Request request) {
        Slot slot = slots[request.slot()];
        if (slot.ddpSetup) {
            slot.ddpSetup = false;
            ddp.teardown();
        }
        if (slot.buffer.byteSize() != 0) {
            buffers.release(slot.buffer);
            slot.buffer = MemorySegment.NULL;
        }
        slot.expected = 0;
        slot.received = 0;
        slot.digestFailed = false;
        request.transition(RequestState.FREE);
        freeSlots[freeCount++] = request.slot();
    }

    private int slotIndex(Slot slot) {
        return slot.request.slot();
    }

    // --- transmit ---

    private void rejectAndRespond(Slot slot, NvmeStatus status) throws IOException {
        rejectAndRespond(slot, status, true);
    }

    private void rejectAndRespond(Slot slot, NvmeStatus status, boolean doNotRetry) throws IOException {
        queue.reject(slot.request, status, doNotRetry);
        sendResponse(slot.request);
    }

    @Override
    public void complete(Request request) {
        try {
            if (request.succeeded() && request.direction() == DataDirection.CONTROLLER_TO_HOST && request.dataLength() > 0) {
                request.transition(RequestState.TRANSFERRING_CONTROLLER_TO_HOST);
                sendDataAndResponse(request);
            } else {
                request.transition(RequestState.COMPLETING);
                sendResponse(request);
            }
        } catch (IOException | IllegalStateException e) {
            // IllegalStateException: the connection's memory is gone (a late AER after teardown)
            LOG.log(System.Logger.Level.DEBUG, "{0}: sending the response of {1} failed: {2}", description, request, e.getMessage());
            disconnect("send failed: " + e.getMessage());
        }
    }

    /** The response capsule of a request that is COMPLETING (finished by the core, or rejected by the transport). */
    private void sendResponse(Request request) throws IOException {
        responseSent();
        tx.sendResponse(request.response());
        request.transition(RequestState.COMPLETED);
        releaseSlot(request);
    }

    /** C2HData and, unless the data PDU's SUCCESS flag says it all, the response capsule. */
    private void sendDataAndResponse(Request request) throws IOException {
        // with SQ flow control off the host needs no SQHD, so a success with an empty result is
        // said by the data PDU alone (the SUCCESS flag), as nvmet-tcp does
        boolean success = queue.sqFlowControlDisabled() && request.cqe().result64() == 0;
        request.transition(RequestState.COMPLETING);
        responseSent();
        tx.sendDataAndResponse(request.sqe().cid(), request.data(), request.transferChannel(), request.transferPosition(),
                (int) request.dataLength(), success, request.response());
        if (success) {
            counters.completionsInDataPdu.increment();
        }
        request.transition(RequestState.COMPLETED);
        releaseSlot(request);
    }

    /**
     * Reads from a file store go out by sendfile when no data digest has to be computed over the
     * bytes and the read is large enough: below {@link #SENDFILE_MIN_BYTES} the extra system call
     * (header, sendfile, response instead of read + one gather write) costs more than the copy
     * (measured in the guest: 4 KiB random reads at QD32 lost a fifth, 128 KiB reads doubled).
     */
    @Override
    public boolean sendsFromFiles(long length) {
        return !tx.dataDigest() && length >= SENDFILE_MIN_BYTES;
    }

    private static int u8(MemorySegment seg, long offset) {
        return seg.get(ValueLayout.JAVA_BYTE, offset) & 0xFF;
    }

    // --- teardown ---

    @Override
    public void disconnect(String reason) {
        if (!closed) {
            hostLog.log(System.Logger.Level.INFO, "{0}: disconnecting: {1}", description, reason);
        }
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: close: {1}", description, e.getMessage());
        }
    }

    private void shutdown() {
        closed = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // already closing
        }
        queue.closed();
        if (ddp != null) {
            ddp.close();
        }
        if (buffers != null) {
            // the reader is the only user of data buffers, and it is here: give them all back
            synchronized (this) {
                for (Slot slot : slots) {
                    if (slot.buffer.byteSize() != 0) {
                        buffers.release(slot.buffer);
                        slot.buffer = MemorySegment.NULL;
                    }
                }
            }
            buffers.close();
        }
        // The reader is gone; a late completion (an AER) may still be sending from this memory.
        tx.whileNotSending(arena::close);
        // counted against max_connections_per_port until its memory is gone
        onClose.run();
    }
}
