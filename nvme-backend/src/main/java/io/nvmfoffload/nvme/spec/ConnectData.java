package io.nvmfoffload.nvme.spec;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.UUID;

/** Connect command data, 1024 bytes (NVMe-oF 1.1 figure 20). */
public final class ConnectData {
    public static final int SIZE = 1024;
    public static final int HOSTID = 0;
    public static final int CNTLID = 16;
    public static final int SUBNQN = 256;
    public static final int HOSTNQN = 512;
    public static final int NQN_FIELD = 256;

    private MemorySegment seg;
    private long base;

    public ConnectData wrap(MemorySegment seg, long offset) {
        Objects.checkFromIndexSize(offset, SIZE, seg.byteSize());
        this.seg = seg;
        this.base = offset;
        return this;
    }

    /** Host Identifier, 16 bytes in RFC 4122 order. */
    public UUID hostId() {
        return NamespaceIdDescriptorList.toUuid(Le.bytes(seg, base + HOSTID, 16));
    }

    public ConnectData hostId(UUID id) {
        Le.putBytes(seg, base + HOSTID, ByteBuffer.allocate(16).putLong(id.getMostSignificantBits())
                .putLong(id.getLeastSignificantBits()).array(), 16);
        return this;
    }

    /** Requested controller ID; FFFFh asks for any (dynamic model), FFFEh for the static model. */
    public int cntlid() { return Le.u16(seg, base + CNTLID); }
    public ConnectData cntlid(int v) { Le.putU16(seg, base + CNTLID, v); return this; }
    public String subnqn() { return Le.string(seg, base + SUBNQN, NQN_FIELD); }
    public ConnectData subnqn(String v) { Le.putNulPadded(seg, base + SUBNQN, NQN_FIELD, v); return this; }
    public String hostnqn() { return Le.string(seg, base + HOSTNQN, NQN_FIELD); }
    public ConnectData hostnqn(String v) { Le.putNulPadded(seg, base + HOSTNQN, NQN_FIELD, v); return this; }
}
