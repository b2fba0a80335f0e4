package io.nvmfoffload.nvmf.transport.tcp;

import io.nvmfoffload.nvme.spec.NvmeStatus;
import io.nvmfoffload.nvme.spec.SubmissionQueueEntry;
import io.nvmfoffload.nvmf.HostLog;
import io.nvmfoffload.nvmf.Port;
import io.nvmfoffload.nvmf.core.DataDirection;
import io.nvmfoffload.nvmf.core.NvmfQueue;
import io.nvmfoffload.nvmf.core.QueueTransport;
import io.nvmfoffload.nvmf.core.Request;
import io.nvmfoffload.nvmf.core.RequestState;
import io.nvmfoffload.nvmf.core.TargetCore;
import io.nvmfoffload.nvmf.transport.buffer.DataBufferPool;
import io.nvmfoffload.nvmf.transport.tcp.ddp.UlpDdpDevice;
import io.nvmfoffload.nvmf.transport.tcp.ddp.UlpDdpSocket;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.zip.CRC32C;

/**
 * One NVMe/TCP queue pair. Its receive side runs on a thread of its own (see TcpTransport); its
 * transmit side ({@link PduTransmitter}) is shared by that thread and by whoever completes a
 * request later (an AER). Request slots ({@link TcpSlotTable}) are made as the host uses them; data
 * buffers come from the port's pool ({@link ConnectionBuffers}).
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
    static final int SENDFILE_MIN_BYTES = 32 * 1024;
    private final SocketChannel channel;
    private final Port port;
    private final NvmfQueue queue;
    private final Runnable onClose;
    private final String description;
    /** This connection's native memory, from the port's pool; given back by shutdown(), which run() always reaches. */
    private final ConnectionMemory memory;

    // receive side: touched only by the reader thread
    private final MemorySegment rxHeader;
    private final ByteBuffer rxHeaderBuf;
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
    private final java.util.ArrayDeque<TcpSlot> waitingForBuffer = new java.util.ArrayDeque<>();
    private final PayloadReader payloads;

    /** When this queue last made progress, for the transport's watchdog. */
    private final QueueDeadlines deadlines = new QueueDeadlines();

    private boolean headerDigest;
    private boolean dataDigest;
    private final TcpSlotTable slots = new TcpSlotTable();
    private volatile boolean closed;

    TcpConnection(TargetCore core, Port port, SocketChannel channel, UlpDdpDevice ddpDevice,
                  TcpCounters counters, DataBufferPool pool, ConnectionMemoryPool memoryPool, HostLog hostLog,
                  Runnable onClose) throws IOException {
        this.channel = channel;
        this.description = "tcp " + port.address() + ":" + port.serviceId() + " <- " + channel.getRemoteAddress();
        this.memory = new ConnectionMemory(memoryPool, channel);
        this.rxHeader = memory.slices().allocate(128 + Pdu.DIGEST, 8);
        this.rxHeaderBuf = rxHeader.asByteBuffer();
        this.pool = pool;
        this.hostLog = hostLog;
        this.counters = counters;
        this.tx = new PduTransmitter(channel, memory.slices(), counters);
        this.spin = new ArrivalSpin(channel, TcpTransportOptions.of(port).arrivalSpinMicros());
        this.ddpDevice = ddpDevice;
        this.rx = new ReceiveStream(channel, ByteBuffer.allocate(0), false);
        this.port = port;
        this.onClose = onClose;
        this.payloads = new PayloadReader(memory.slices(), hostLog, description);
        this.queue = core.openQueue(port, this);
    }

    @Override
    public String describe() {
        return description;
    }

    /**
     * Connected: only now does the queue take its data buffer from the port's pool, so connections
     * that never log in cannot empty it; with none left it is closed (back-pressure on new hosts).
     */
    @Override
    public int connected(NvmfQueue connectedQueue) {
        buffers = ConnectionBuffers.open(pool, connectedQueue.qid() == 0);
        if (buffers == null) {
            disconnect("the port's data buffer pool (data_buffer_pool_size) has no buffer of its own left for it");
            return 0;
        }
        deadlines.connected();
        return 0;
    }

    /** When this queue last made progress: the transport's watchdog closes it when overdue. */
    QueueDeadlines deadlines() {
        return deadlines;
    }

    @Override
    public void run() {
        try {
            initialize();
            while (!closed) {
                // the arrival spin is for I/O queues: not for a queue still connecting, nor an admin queue
                if (deadlines.isConnected() && queue.qid() > 0 && !rx.hasUnreadBytes()) {
                    spin.awaitBytes();
                }
                receivePdu();
                deadlines.pduDone();
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
        rx.readFully(rxHeaderBuf.clear().limit(1));
        deadlines.pduStarted();
        rx.readFully(rxHeaderBuf.limit(Pdu.COMMON_HEADER));
        IcReq.checkCommonHeader(rxHeader);
        rx.readFully(rxHeaderBuf.limit(Pdu.IC_LENGTH));
        int dgst = IcReq.digests(rxHeader);
        headerDigest = (dgst & 1) != 0;
        dataDigest = (dgst & 2) != 0;
        capsuleBuffer = memory.slices().allocate(ConnectionMemory.inCapsuleBytes(port), 4096);
        ddp = ddpDevice.addSocket();
        rx = new ReceiveStream(channel, memory.slices().allocate(ConnectionMemory.RECEIVE_BUFFER_BYTES, 4096).asByteBuffer(), !ddp.offloaded());
        tx.sendIcResp(dgst, port.maxIoSize());  // MAXH2CDATA: one H2CData PDU can carry the largest command
        deadlines.pduDone();
    }

    private void receivePdu() throws IOException, TcpProtocolException {
        if (ddp.atPduHeader(rx.offset())) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: DDP resync at stream offset {1}", description, rx.offset());
        }
        rx.readFully(rxHeaderBuf.clear().limit(1));  // waits, idle, for the next PDU
        deadlines.pduStarted();
        rx.readFully(rxHeaderBuf.limit(Pdu.COMMON_HEADER));
        int type = Pdu.u8(rxHeader, Pdu.TYPE);
        int flags = Pdu.u8(rxHeader, Pdu.FLAGS);
        int hlen = Pdu.u8(rxHeader, Pdu.HLEN);
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
        rx.readFully(rxHeaderBuf.limit(hlen + (hasHeaderDigest ? Pdu.DIGEST : 0)));
        if (hasHeaderDigest) {
            int sent = rxHeader.get(Pdu.U32, hlen);
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
                LOG.log(System.Logger.Level.INFO, "{0}: host sent H2CTermReq (FES {1})", description, rxHeader.get(Pdu.U16, Pdu.TERM_FES));
                closed = true;
            }
        }
    }

    private void receiveCommand(int flags, int hlen, boolean hasHeaderDigest) throws IOException, TcpProtocolException {
        int plen = rxHeader.get(Pdu.U32, Pdu.PLEN);
        int pdo = Pdu.u8(rxHeader, Pdu.PDO);
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
        TcpSlot slot = slots.take(queue.entries());
        Request request = slot.request;
        MemorySegment.copy(rxHeader, Pdu.COMMON_HEADER, request.command(), 0, SubmissionQueueEntry.SIZE);
        request.transition(RequestState.NEW);
        request.transition(RequestState.NEED_BUFFER);
        payloads.skip(rx, pdo - headerEnd > 0 && inCapsule > 0 ? pdo - headerEnd : 0);

        MemorySegment sgl = request.command().asSlice(SubmissionQueueEntry.DPTR, 16);
        int sglId = Pdu.u8(sgl, 15);
        int sglLength = sgl.get(Pdu.U32, 8);
        DataDirection direction = request.direction();
        if (direction == DataDirection.NONE || sglLength == 0) {
            if (inCapsule > 0) {
                payloads.drain(rx, inCapsule, hasDataDigest);
            }
            request.data(MemorySegment.NULL);
            ready(request);
            return;
        }
        if (direction == DataDirection.BIDIRECTIONAL) {
            payloads.drain(rx, inCapsule, hasDataDigest);
            rejectAndRespond(slot, NvmeStatus.INVALID_FIELD_IN_COMMAND);
            return;
        }
        if (sglLength < 0 || sglLength > port.maxIoSize()) {
            payloads.drain(rx, inCapsule, hasDataDigest);
            rejectAndRespond(slot, NvmeStatus.DATA_SGL_LENGTH_INVALID);
            return;
        }
        if (sglId == 0x01) {  // data block, offset subtype: the data is in this capsule
            if (inCapsule != sglLength || direction != DataDirection.HOST_TO_CONTROLLER) {
                payloads.drain(rx, inCapsule, hasDataDigest);
                rejectAndRespond(slot, NvmeStatus.DATA_SGL_LENGTH_INVALID);
                return;
            }
            MemorySegment data = capsuleBuffer.asSlice(0, sglLength);
            request.data(data);
            request.transition(RequestState.TRANSFERRING_HOST_TO_CONTROLLER);
            // in-capsule data lands in the slot's buffer, which the model treats as a receive
            // buffer posted for the queue: it needs no per-I/O setup
            if (payloads.read(rx, ddp, data, hasDataDigest, ddp.offloaded())) {
                ready(request);
            } else {
                rejectAndRespond(slot, NvmeStatus.TRANSIENT_TRANSPORT_ERROR, false);
            }
        } else if (sglId == 0x5A) {  // transport data block: R2T for writes, C2HData for reads
            if (inCapsule > 0) {
                payloads.drain(rx, inCapsule, hasDataDigest);
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
            payloads.drain(rx, inCapsule, hasDataDigest);
            rejectAndRespond(slot, NvmeStatus.SGL_DESCRIPTOR_TYPE_INVALID);
        }
    }

    private void receiveData(int flags, int hlen, boolean hasHeaderDigest) throws IOException, TcpProtocolException {
        int ttag = rxHeader.get(Pdu.U16, Pdu.TTAG) & 0xFFFF;
        int cccid = rxHeader.get(Pdu.U16, Pdu.CCCID) & 0xFFFF;
        int datao = rxHeader.get(Pdu.U32, Pdu.DATAO);
        int datal = rxHeader.get(Pdu.U32, Pdu.DATAL);
        int pdo = Pdu.u8(rxHeader, Pdu.PDO);
        int plen = rxHeader.get(Pdu.U32, Pdu.PLEN);
        boolean hasDataDigest = dataDigest && (flags & Pdu.FLAG_DDGST) != 0;
        int headerEnd = hlen + (hasHeaderDigest ? Pdu.DIGEST : 0);
        TcpSlot slot = slots.get(ttag);
        if (slot == null || slot.request.state() != RequestState.TRANSFERRING_HOST_TO_CONTROLLER) {
            throw new TcpProtocolException(Pdu.FES_INVALID_HEADER_FIELD, Pdu.TTAG, "H2CData for unknown transfer tag " + ttag);
        }
        if (slot.request.sqe().cid() != cccid) {
            throw new TcpProtocolException(Pdu.FES_INVALID_HEADER_FIELD, Pdu.CCCID,
                    "H2CData CCCID " + cccid + " does not match tag " + ttag + "'s command " + slot.request.sqe().cid());
        }
        if (datal <= 0) {
            throw new TcpProtocolException(Pdu.FES_INVALID_HEADER_FIELD, Pdu.DATAL, "H2CData DATAL " + Integer.toUnsignedString(datal));
        }
        if (datao != slot.received || datal > slot.expected - slot.received || datal > port.maxIoSize()) {
            throw new TcpProtocolException(Pdu.FES_DATA_OUT_OF_RANGE, Pdu.DATAO, "H2CData offset " + datao + " length "
                    + datal + " outside the " + slot.expected + " bytes requested (" + slot.received + " received)");
        }
        if (pdo < headerEnd || pdo % 4 != 0 || plen != pdo + datal + (hasDataDigest ? Pdu.DIGEST : 0)) {
            throw new TcpProtocolException(Pdu.FES_INVALID_HEADER_FIELD, Pdu.PLEN, "H2CData PDO/PLEN inconsistent with DATAL");
        }
        payloads.skip(rx, pdo - headerEnd);
        if (!payloads.read(rx, ddp, slot.request.data().asSlice(datao, datal), hasDataDigest, slot.ddpSetup)) {
            slot.digestFailed = true;
        }
        slot.received += datal;
        deadlines.h2cData(slot.received == slot.expected);
        if (slot.received == slot.expected) {
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

    // --- data buffers ---

    /** Gives the slot a buffer for its transfer; false when the connection must wait for one. */
    private boolean acquireBuffer(TcpSlot slot) {
        return buffers != null && buffers.assign(slot);
    }

    /** A command with a buffer: a read runs now; a write asks for its data with an R2T. */
    private void startTransfer(TcpSlot slot) throws IOException {
        Request request = slot.request;
        if (request.direction() == DataDirection.CONTROLLER_TO_HOST) {
            ready(request);
            return;
        }
        slot.received = 0;
        slot.ddpSetup = ddp.setup(slot.index(), slots.size(), slot.expected);
        request.transition(RequestState.TRANSFERRING_HOST_TO_CONTROLLER);
        deadlines.r2tSent();
        tx.sendR2t(request.sqe().cid(), slot.index(), slot.expected);
    }

    /** Starts commands that waited for a buffer, in order, while buffers are there. */
    private void startWaitingCommands() throws IOException {
        TcpSlot next;
        while ((next = waitingForBuffer.peek()) != null && acquireBuffer(next)) {
            waitingForBuffer.poll();
            startTransfer(next);
        }
    }

    // --- slots ---

    private synchronized void releaseSlot(Request request) {
        TcpSlot slot = slots.get(request.slot());
        if (slot.ddpSetup) {
            slot.ddpSetup = false;
            ddp.teardown();
        }
        if (buffers != null) {
            buffers.releaseOf(slot);
        }
        slot.expected = 0;
        slot.received = 0;
        slot.digestFailed = false;
        request.transition(RequestState.FREE);
        slots.free(slot);
    }

    // --- transmit ---

    private void rejectAndRespond(TcpSlot slot, NvmeStatus status) throws IOException {
        rejectAndRespond(slot, status, true);
    }

    private void rejectAndRespond(TcpSlot slot, NvmeStatus status, boolean doNotRetry) throws IOException {
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
            // a late AER after teardown: the transmitter is closed, its memory another connection's
            LOG.log(System.Logger.Level.DEBUG, "{0}: sending the response of {1} failed: {2}", description, request, e.getMessage());
            disconnect("send failed: " + e.getMessage());
        }
    }

    /** The response capsule of a request that is COMPLETING (finished by the core, or rejected by the transport). */
    private void sendResponse(Request request) throws IOException {
        slots.responseSent();
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
        slots.responseSent();
        tx.sendDataAndResponse(request.sqe().cid(), request.data(), request.transferChannel(), request.transferPosition(),
                (int) request.dataLength(), success, request.response());
        if (success) {
            counters.completionsInDataPdu.increment();
        }
        request.transition(RequestState.COMPLETED);
        releaseSlot(request);
    }

    /**
     * Reads from a file store go out by sendfile when no data digest is computed over them and they
     * are at least {@link #SENDFILE_MIN_BYTES}: below that the extra system call costs more than a copy.
     */
    @Override
    public boolean sendsFromFiles(long length) {
        return !tx.dataDigest() && length >= SENDFILE_MIN_BYTES;
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
            buffers.close(slots);  // the reader, their only user, is here
        }
        // The reader is gone; a late completion (an AER) may still be sending from this memory.
        tx.close(memory::release);
        // counted against max_connections_per_port until its memory is gone
        onClose.run();
    }
}
