package io.nvmfoffload.nvme.spec;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Discovery log page (NVMe-oF 1.1 section 5.3): a 1024-byte header followed by 1024-byte entries.
 * {@link #entry(int, Entry)} points an {@link Entry} view at record {@code i}.
 */
public final class DiscoveryLog {
    public static final int HEADER_SIZE = 1024;
    public static final int ENTRY_SIZE = 1024;

    public static final int GENCTR = 0;
    public static final int NUMREC = 8;
    public static final int RECFMT = 16;

    public static final int TRTYPE_RDMA = 1;
    public static final int TRTYPE_FC = 2;
    public static final int TRTYPE_TCP = 3;
    public static final int TRTYPE_LOOP = 254;

    public static final int ADRFAM_IPV4 = 1;
    public static final int ADRFAM_IPV6 = 2;
    public static final int ADRFAM_IB = 3;
    public static final int ADRFAM_FC = 4;

    /** Referral to another discovery service. */
    public static final int SUBTYPE_DISCOVERY_REFERRAL = 1;
    public static final int SUBTYPE_NVME = 2;
    /** The discovery controller reporting itself. */
    public static final int SUBTYPE_CURRENT_DISCOVERY = 3;

    public static final int TREQ_NOT_SPECIFIED = 0;
    public static final int TREQ_SECURE_CHANNEL_REQUIRED = 1;
    public static final int TREQ_SECURE_CHANNEL_NOT_REQUIRED = 2;
    public static final int TREQ_SQ_FLOW_CONTROL_DISABLE_SUPPORTED = 1 << 2;

    public static final int RDMA_QPTYPE_RELIABLE_CONNECTED = 1;
    public static final int RDMA_QPTYPE_RELIABLE_DATAGRAM = 2;
    public static final int RDMA_PRTYPE_NOT_SPECIFIED = 1;
    public static final int RDMA_PRTYPE_IB = 2;
    public static final int RDMA_PRTYPE_ROCE = 3;
    public static final int RDMA_PRTYPE_ROCEV2 = 4;
    public static final int RDMA_PRTYPE_IWARP = 5;
    public static final int RDMA_CMS_RDMA_CM = 1;

    /** Controller ID meaning the dynamic controller model. */
    public static final int CNTLID_DYNAMIC = 0xFFFF;

    private MemorySegment seg;
    private long base;

    public DiscoveryLog wrap(MemorySegment seg, long offset) {
        Objects.checkFromIndexSize(offset, HEADER_SIZE, seg.byteSize());
        this.seg = seg;
        this.base = offset;
        return this;
    }

    public static long sizeFor(int records) {
        return HEADER_SIZE + (long) ENTRY_SIZE * records;
    }

    public DiscoveryLog clearHeader() {
        seg.asSlice(base, HEADER_SIZE).fill((byte) 0);
        return this;
    }

    /** Generation Counter: changes whenever the log's contents change, so a host can detect a torn read. */
    public long genctr() { return Le.u64(seg, base + GENCTR); }
    public DiscoveryLog genctr(long v) { Le.putU64(seg, base + GENCTR, v); return this; }
    public long numrec() { return Le.u64(seg, base + NUMREC); }
    public DiscoveryLog numrec(long v) { Le.putU64(seg, base + NUMREC, v); return this; }
    /** Record Format; 0 is the only one defined. */
    public int recfmt() { return Le.u16(seg, base + RECFMT); }
    public DiscoveryLog recfmt(int v) { Le.putU16(seg, base + RECFMT, v); return this; }

    public Entry entry(int i, Entry view) {
        return view.wrap(seg, base + HEADER_SIZE + (long) ENTRY_SIZE * i);
    }

    /** One Discovery Log Page Entry (NVMe-oF 1.1 figure 34). */
    public static final class Entry {
        public static final int TRTYPE = 0;
        public static final int ADRFAM = 1;
        public static final int SUBTYPE = 2;
        public static final int TREQ = 3;
        public static final int PORTID = 4;
        public static final int CNTLID = 6;
        public static final int ASQSZ = 8;
        public static final int EFLAGS = 10;
        public static final int TRSVCID = 32;
        public static final int TRSVCID_LEN = 32;
        public static final int SUBNQN = 256;
        public static final int SUBNQN_LEN = 256;
        public static final int TRADDR = 512;
        public static final int TRADDR_LEN = 256;
        public static final int TSAS = 768;
        public static final int TSAS_LEN = 256;
        public static final int RDMA_QPTYPE = TSAS;
        public static final int RDMA_PRTYPE = TSAS + 1;
        public static final int RDMA_CMS = TSAS + 2;
        public static final int RDMA_PKEY = TSAS + 8;

        private MemorySegment seg;
        private long base;

        public Entry wrap(MemorySegment seg, long offset) {
            Objects.checkFromIndexSize(offset, ENTRY_SIZE, seg.byteSize());
            this.seg = seg;
            this.base = offset;
            return this;
        }

        public Entry clear() {
            seg.asSlice(base, ENTRY_SIZE).fill((byte) 0);
            return this;
        }

        public int trtype() { return Le.u8(seg, base + TRTYPE); }
        public Entry trtype(int v) { Le.putU8(seg, base + TRTYPE, v); return this; }
        public int adrfam() { return Le.u8(seg, base + ADRFAM); }
        public Entry adrfam(int v) { Le.putU8(seg, base + ADRFAM, v); return this; }
        public int subtype() { return Le.u8(seg, base + SUBTYPE); }
        public Entry subtype(int v) { Le.putU8(seg, base + SUBTYPE, v); return this; }
        public int treq() { return Le.u8(seg, base + TREQ); }
        public Entry treq(int v) { Le.putU8(seg, base + TREQ, v); return this; }
        public int portid() { return Le.u16(seg, base + PORTID); }
        public Entry portid(int v) { Le.putU16(seg, base + PORTID, v); return this; }
        public int cntlid() { return Le.u16(seg, base + CNTLID); }
        public Entry cntlid(int v) { Le.putU16(seg, base + CNTLID, v); return this; }
        /** Admin Max SQ Size. */
        public int asqsz() { return Le.u16(seg, base + ASQSZ); }
        public Entry asqsz(int v) { Le.putU16(seg, base + ASQSZ, v); return this; }
        public int eflags() { return Le.u16(seg, base + EFLAGS); }
        public Entry eflags(int v) { Le.putU16(seg, base + EFLAGS, v); return this; }
        /** Transport Service Identifier; for RDMA the port number as ASCII ("4420"). */
        public String trsvcid() { return Le.string(seg, base + TRSVCID, TRSVCID_LEN); }
        public Entry trsvcid(String v) { Le.putAsciiSpacePadded(seg, base + TRSVCID, TRSVCID_LEN, v); return this; }
        public String subnqn() { return Le.string(seg, base + SUBNQN, SUBNQN_LEN); }
        public Entry subnqn(String v) { Le.putNulPadded(seg, base + SUBNQN, SUBNQN_LEN, v); return this; }
        /** Transport Address; for IPv4 the dotted address as ASCII. */
        public String traddr() { return Le.string(seg, base + TRADDR, TRADDR_LEN); }
        public Entry traddr(String v) { Le.putAsciiSpacePadded(seg, base + TRADDR, TRADDR_LEN, v); return this; }

        public int rdmaQpType() { return Le.u8(seg, base + RDMA_QPTYPE); }
        public int rdmaProviderType() { return Le.u8(seg, base + RDMA_PRTYPE); }
        public int rdmaCms() { return Le.u8(seg, base + RDMA_CMS); }
        public int rdmaPkey() { return Le.u16(seg, base + RDMA_PKEY); }

        /** RDMA Transport Specific Address Subtype. */
        public Entry rdmaTsas(int qpType, int providerType, int cms, int pkey) {
            seg.asSlice(base + TSAS, TSAS_LEN).fill((byte) 0);
            Le.putU8(seg, base + RDMA_QPTYPE, qpType);
            Le.putU8(seg, base + RDMA_PRTYPE, providerType);
            Le.putU8(seg, base + RDMA_CMS, cms);
            Le.putU16(seg, base + RDMA_PKEY, pkey);
            return this;
        }
    }
}
