package io.nvmfoffload.nvme.spec;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Namespace Identification Descriptor list, CNS 03h, 4096 bytes (NVMe Base 2.0 figure 279).
 * Each descriptor: NIDT (byte), NIDL (byte), 2 reserved bytes, then NIDL bytes of identifier; a
 * zero NIDT ends the list.
 */
public final class NamespaceIdDescriptorList {
    public static final int SIZE = 4096;

    public static final int NIDT_EUI64 = 0x1;
    public static final int NIDT_NGUID = 0x2;
    public static final int NIDT_UUID = 0x3;
    public static final int NIDT_CSI = 0x4;

    /** Command Set Identifier of the NVM command set. */
    public static final int CSI_NVM = 0x0;

    /** One descriptor as read back. */
    public record Descriptor(int type, byte[] value) {
    }

    private final MemorySegment seg;
    private final long base;
    private long cursor;

    /** Starts a list in {@code seg} at {@code offset}, zeroing the 4096 bytes. */
    public NamespaceIdDescriptorList(MemorySegment seg, long offset) {
        Objects.checkFromIndexSize(offset, SIZE, seg.byteSize());
        this.seg = seg;
        this.base = offset;
        seg.asSlice(offset, SIZE).fill((byte) 0);
    }

    public NamespaceIdDescriptorList eui64(byte[] eui64) {
        return add(NIDT_EUI64, eui64, 8);
    }

    public NamespaceIdDescriptorList nguid(byte[] nguid) {
        return add(NIDT_NGUID, nguid, 16);
    }

    /** UUIDs are stored in RFC 4122 (big-endian) byte order, as the spec requires. */
    public NamespaceIdDescriptorList uuid(UUID uuid) {
        ByteBuffer b = ByteBuffer.allocate(16);
        b.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return add(NIDT_UUID, b.array(), 16);
    }

    public NamespaceIdDescriptorList csi(int csi) {
        return add(NIDT_CSI, new byte[] {(byte) csi}, 1);
    }

    private NamespaceIdDescriptorList add(int type, byte[] value, int expected) {
        if (value.length != expected) {
            throw new IllegalArgumentException("descriptor type " + type + " needs " + expected + " bytes, got " + value.length);
        }
        if (cursor + 4 + expected > SIZE) {
            throw new IllegalStateException("namespace identification descriptor list is full at " + cursor + " bytes");
        }
        Le.putU8(seg, base + cursor, type);
        Le.putU8(seg, base + cursor + 1, expected);
        Le.putBytes(seg, base + cursor + 4, value, expected);
        cursor += 4 + expected;
        return this;
    }

    public static List<Descriptor> read(MemorySegment seg, long offset) {
        List<Descriptor> out = new ArrayList<>();
        long p = 0;
        while (p + 4 <= SIZE) {
            int type = Le.u8(seg, offset + p);
            int len = Le.u8(seg, offset + p + 1);
            if (type == 0) {
                break;
            }
            if (p + 4 + len > SIZE) {
                throw new IllegalArgumentException("descriptor at byte " + p + " (type " + type + ", length " + len
                        + ") runs past the 4096-byte list");
            }
            out.add(new Descriptor(type, Le.bytes(seg, offset + p + 4, len)));
            p += 4 + len;
        }
        return out;
    }

    public static UUID toUuid(byte[] v) {
        ByteBuffer b = ByteBuffer.wrap(v);
        return new UUID(b.getLong(), b.getLong());
    }
}
