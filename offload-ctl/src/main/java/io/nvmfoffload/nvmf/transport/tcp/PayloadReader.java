package io.nvmfoffload.nvmf.transport.tcp;

import io.nvmfoffload.nvmf.HostLog;
import io.nvmfoffload.nvmf.transport.tcp.ddp.UlpDdpSocket;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Reads PDU payloads off one queue's stream: into a command's buffer, placed or copied as the
 * socket's DDP state says, with the data digest checked during the read when the offload verifies
 * digests and after it when not; and skips bytes (PDO padding, refused payloads) into a buffer of
 * its own, never over a header still in use. The queue's reader only.
 */
final class PayloadReader {

    private final MemorySegment digest;
    private final ByteBuffer digestBuf;
    private final ByteBuffer discard;
    private final CRC32C crc = new CRC32C();
    private final HostLog hostLog;
    private final String description;

    PayloadReader(SegmentAllocator memory, HostLog hostLog, String description) {
        this.digest = memory.allocate(Pdu.DIGEST);
        this.digestBuf = digest.asByteBuffer();
        this.discard = memory.allocate(4096).asByteBuffer();
        this.hostLog = hostLog;
        this.description = description;
    }

    /** Reads one PDU's payload into {@code target}; false when its data digest did not match. */
    boolean read(ReceiveStream rx, UlpDdpSocket ddp, MemorySegment target, boolean hasDataDigest, boolean place) throws IOException {
        boolean digestInPass = hasDataDigest && ddp.verifiesDataDigest();
        if (digestInPass) {
            crc.reset();
        }
        long length = target.byteSize();
        int copied = rx.readPayload(target.asByteBuffer(), place && ddp.offloaded(), digestInPass ? crc : null);
        if (copied > 0) {
            ddp.copied(copied);
        }
        if (copied < length) {
            ddp.placed(length - copied);
        }
        if (!hasDataDigest) {
            return true;
        }
        rx.readFully(digestBuf.clear());
        int sent = digest.get(Pdu.U32, 0);
        int computed = digestInPass ? (int) crc.getValue() : Pdu.digest(crc, target, 0, length);
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

    /** Skips {@code bytes} of payload and, when present, its data digest. */
    void drain(ReceiveStream rx, int bytes, boolean hasDataDigest) throws IOException {
        skip(rx, bytes + (hasDataDigest ? Pdu.DIGEST : 0));
    }

    void skip(ReceiveStream rx, int bytes) throws IOException {
        while (bytes > 0) {
            int n = Math.min(bytes, discard.capacity());
            rx.readFully(discard.clear().limit(n));
            bytes -= n;
        }
    }
}
