package io.nvmfoffload.nvmf.transport.tcp;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

/**
 * The transmit side of one NVMe/TCP connection: every PDU the target sends (ICResp, R2T, C2HData,
 * CapsuleResp, C2HTermReq), built in buffers made once, with the digests the host asked for, and
 * written as one gather. Its user is the connection's reader thread and whoever completes a
 * request later (an AER), so each send holds a lock; {@link #whileNotSending} lets the connection
 * free memory a send might still read.
 */
final class PduTransmitter {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private final SocketChannel channel;
    private final TcpCounters counters;
    private final ReentrantLock lock = new ReentrantLock();
    private final MemorySegment header;
    private final ByteBuffer headerBuf;
    private final MemorySegment digest;
    private final ByteBuffer digestBuf;
    /** The CapsuleResp behind a C2HData: its own buffer, since the C2HData header is still in {@link #header}. */
    private final MemorySegment response;
    private final ByteBuffer responseBuf;
    private final ByteBuffer[] gather = new ByteBuffer[4];
    private final CRC32C crc = new CRC32C();
    private boolean headerDigest;
    private boolean dataDigest;
    /** Guarded by {@link #lock}. */
    private boolean closed;

    /** @param memory where the buffers live; the connection frees it through {@link #close} */
    PduTransmitter(SocketChannel channel, SegmentAllocator memory, TcpCounters counters) {
        this.channel = channel;
        this.counters = counters;
        header = memory.allocate(128 + Pdu.DIGEST, 8);
        headerBuf = header.asByteBuffer();
        digest = memory.allocate(Pdu.DIGEST);
        digestBuf = digest.asByteBuffer();
        response = memory.allocate(Pdu.CAPSULE_RESP_HLEN + Pdu.DIGEST, 8);
        responseBuf = response.asByteBuffer();
    }

    /**
     * The ICResp that answers the host's ICReq, echoing the digests it asked for (HDGST bit 0, DDGST
     * bit 1), which every later PDU then carries.
     */
    void sendIcResp(int digests, int maxH2cData) throws IOException {
        lockOpen();
        try {
            headerDigest = (digests & 1) != 0;
            dataDigest = (digests & 2) != 0;
            header.asSlice(0, Pdu.IC_LENGTH).fill((byte) 0);
            common(header, Pdu.IC_RESP, 0, Pdu.IC_LENGTH, 0, Pdu.IC_LENGTH);
            header.set(ValueLayout.JAVA_BYTE, Pdu.IC_DGST, (byte) digests);
            header.set(Pdu.U32, Pdu.IC_MAXR2T_MAXDATA, maxH2cData);
            write(header.asSlice(0, Pdu.IC_LENGTH).asByteBuffer(), null, null, null);
        } finally {
            lock.unlock();
        }
    }

    /** Data digests on (after ICResp): a read's data must be read for its CRC, so it cannot go by sendfile. */
    boolean dataDigest() {
        return dataDigest;
    }

    /** A CapsuleResp carrying the 16-byte completion queue entry {@code cqe}. */
    void sendResponse(MemorySegment cqe) throws IOException {
        lockOpen();
        try {
            write(responseHeader(cqe), null, null, null);
        } finally {
            lock.unlock();
        }
    }

    /**
     * C2HData and, unless {@code success} (the SUCCESS flag says it all), the CapsuleResp with
     * {@code cqe} in one gather write: one system call, and with TCP_NODELAY no small segment of
     * its own for the response. From a file ({@code file} not null) the data goes by sendfile
     * between the two headers; otherwise it is {@code data}.
     */
    void sendDataAndResponse(int cid, MemorySegment data, FileChannel file, long position, int length, boolean success,
                             MemorySegment cqe) throws IOException {
        lockOpen();
        try {
            int hlen = Pdu.DATA_HLEN;
            int pdo = hlen + (headerDigest ? Pdu.DIGEST : 0);
            int flags = Pdu.FLAG_DATA_LAST | (success ? Pdu.FLAG_DATA_SUCCESS : 0) | (headerDigest ? Pdu.FLAG_HDGST : 0)
                    | (dataDigest ? Pdu.FLAG_DDGST : 0);
            common(header, Pdu.C2H_DATA, flags, hlen, pdo, pdo + length + (dataDigest ? Pdu.DIGEST : 0));
            header.set(Pdu.U16, Pdu.CCCID, (short) cid);
            header.set(Pdu.U16, Pdu.TTAG, (short) 0);
            header.set(Pdu.U32, Pdu.DATAO, 0);
            header.set(Pdu.U32, Pdu.DATAL, length);
            header.set(Pdu.U32, 20, 0);
            ByteBuffer c2h = finish(header, headerBuf, hlen);
            if (file != null) {
                write(c2h, null, null, null);
                transferFromFile(file, position, length);
                if (!success) {
                    write(responseHeader(cqe), null, null, null);
                }
            } else {
                ByteBuffer dataDigestBuf = null;
                if (dataDigest) {
                    digest.set(Pdu.U32, 0, Pdu.digest(crc, data, 0, length));
                    dataDigestBuf = digestBuf.clear();
                }
                write(c2h, data.asByteBuffer().limit(length), dataDigestBuf, success ? null : responseHeader(cqe));
            }
        } finally {
            lock.unlock();
        }
    }

    /** An R2T for all {@code length} bytes of command {@code cid}'s data, tagged {@code ttag}. */
    void sendR2t(int cid, int ttag, int length) throws IOException {
        lockOpen();
        try {
            int hlen = Pdu.R2T_HLEN;
            common(header, Pdu.R2T, headerDigest ? Pdu.FLAG_HDGST : 0, hlen, 0, hlen + (headerDigest ? Pdu.DIGEST : 0));
            header.set(Pdu.U16, Pdu.CCCID, (short) cid);
            header.set(Pdu.U16, Pdu.TTAG, (short) ttag);
            header.set(Pdu.U32, 12, 0);       // R2TO
            header.set(Pdu.U32, 16, length);  // R2TL
            header.set(Pdu.U32, 20, 0);
            write(finish(header, headerBuf, hlen), null, null, null);
        } finally {
            lock.unlock();
        }
    }

    /** A C2HTermReq with the fatal error status and information (never digested: the spec says so). */
    void sendTermination(int fes, int fei) throws IOException {
        lockOpen();
        try {
            header.asSlice(0, Pdu.TERM_HLEN).fill((byte) 0);
            common(header, Pdu.C2H_TERM_REQ, 0, Pdu.TERM_HLEN, 0, Pdu.TERM_HLEN);
            header.set(Pdu.U16, Pdu.TERM_FES, (short) fes);
            header.set(Pdu.U32, Pdu.TERM_FEI, fei);
            write(header.asSlice(0, Pdu.TERM_HLEN).asByteBuffer(), null, null, null);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends sending: waits for a send in progress (a late completion may hold the lock), then runs
     * {@code release}, which frees the memory sends use; every later send fails without touching it.
     */
    void close(Runnable release) {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                release.run();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Takes the send lock, unless sending has ended: the buffers may belong to another connection by then. */
    private void lockOpen() throws ClosedChannelException {
        lock.lock();
        if (closed) {
            lock.unlock();
            throw new ClosedChannelException();
        }
    }

    private ByteBuffer responseHeader(MemorySegment cqe) {
        int hlen = Pdu.CAPSULE_RESP_HLEN;
        common(response, Pdu.CAPSULE_RESP, headerDigest ? Pdu.FLAG_HDGST : 0, hlen, 0, hlen + (headerDigest ? Pdu.DIGEST : 0));
        MemorySegment.copy(cqe, 0, response, Pdu.COMMON_HEADER, 16);
        return finish(response, responseBuf, hlen);
    }

    /** The data of a read from the page cache to the socket (sendfile): no copy in user space. */
    private void transferFromFile(FileChannel file, long position, long length) throws IOException {
        long sent = 0;
        while (sent < length) {
            long n = file.transferTo(position + sent, length - sent, channel);
            if (n <= 0) {
                throw new IOException("sending " + length + " bytes from the file at " + position + " stopped after " + sent
                        + " (transferTo made no progress)");
            }
            sent += n;
        }
        counters.bytesSentFromFiles.add(length);
    }

    private static void common(MemorySegment seg, int type, int flags, int hlen, int pdo, int plen) {
        seg.set(ValueLayout.JAVA_BYTE, Pdu.TYPE, (byte) type);
        seg.set(ValueLayout.JAVA_BYTE, Pdu.FLAGS, (byte) flags);
        seg.set(ValueLayout.JAVA_BYTE, Pdu.HLEN, (byte) hlen);
        seg.set(ValueLayout.JAVA_BYTE, Pdu.PDO, (byte) pdo);
        seg.set(Pdu.U32, Pdu.PLEN, plen);
    }

    /** The header as a buffer, with its digest appended when header digests are on. */
    private ByteBuffer finish(MemorySegment seg, ByteBuffer buf, int hlen) {
        if (!headerDigest) {
            return buf.clear().limit(hlen);
        }
        seg.set(Pdu.U32, hlen, Pdu.digest(crc, seg, 0, hlen));
        return buf.clear().limit(hlen + Pdu.DIGEST);
    }

    /** One PDU (header, data, data digest), and optionally the next PDU, written as one gather. */
    private void write(ByteBuffer pduHeader, ByteBuffer data, ByteBuffer dataDigestBuf, ByteBuffer next) throws IOException {
        gather[0] = pduHeader;
        gather[1] = data == null ? EMPTY : data;
        gather[2] = dataDigestBuf == null ? EMPTY : dataDigestBuf;
        gather[3] = next == null ? EMPTY : next;
        long total = pduHeader.remaining() + gather[1].remaining() + gather[2].remaining() + gather[3].remaining();
        long written = 0;
        while (written < total) {
            written += channel.write(gather);
        }
    }
}
