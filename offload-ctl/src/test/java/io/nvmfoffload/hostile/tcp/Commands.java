package io.nvmfoffload.hostile.tcp;

import java.nio.charset.StandardCharsets;

/**
 * The commands the hostile tests send, each encoded from its spec figure: the Fabrics commands of
 * NVMe over Fabrics 1.1 section 3 (Connect, Property Get/Set, Disconnect), the admin commands of
 * NVMe Base 2.0 section 5 and the NVM command set's Read, Write and Dataset Management. None sets
 * a CID or a data pointer: {@link SpecTcpHost} does that when it submits the command.
 */
public final class Commands {
    public static final int FCTYPE_PROPERTY_SET = 0x00;
    public static final int FCTYPE_CONNECT = 0x01;
    public static final int FCTYPE_PROPERTY_GET = 0x04;
    public static final int FCTYPE_DISCONNECT = 0x08;

    public static final int OPC_GET_LOG_PAGE = 0x02;
    public static final int OPC_IDENTIFY = 0x06;
    public static final int OPC_SET_FEATURES = 0x09;
    public static final int OPC_GET_FEATURES = 0x0A;
    public static final int OPC_KEEP_ALIVE = 0x18;
    public static final int OPC_FLUSH = 0x00;
    public static final int OPC_WRITE = 0x01;
    public static final int OPC_READ = 0x02;
    public static final int OPC_DSM = 0x09;

    public static final int PROP_CAP = 0x00;
    public static final int PROP_VS = 0x08;
    public static final int PROP_CC = 0x14;
    public static final int PROP_CSTS = 0x1C;
    /** CC with EN=1, CSS=000b (NVM), MPS=0, AMS=0, IOSQES=6 (64 bytes), IOCQES=4 (16 bytes). */
    public static final int CC_ENABLE = 1 | 6 << 16 | 4 << 20;

    /** Connect data (NVMe over Fabrics 1.1 figure 21): the size a Connect must carry. */
    public static final int CONNECT_DATA_LENGTH = 1024;
    public static final int CONNECT_DATA_OFF_CNTLID = 16;
    public static final int CONNECT_DATA_OFF_SUBNQN = 256;
    public static final int CONNECT_DATA_OFF_HOSTNQN = 512;
    /** Connect SQE offsets (figure 20): RECFMT 40-41, QID 42-43, SQSIZE 44-45, CATTR 46, KATO 48-51. */
    public static final int CONNECT_OFF_RECFMT = 40;
    public static final int CONNECT_OFF_QID = 42;
    public static final int CONNECT_OFF_SQSIZE = 44;
    public static final int CONNECT_OFF_CATTR = 46;
    public static final int CONNECT_OFF_KATO = 48;

    private Commands() {
    }

    /** Connect: RECFMT 0, the given QID, SQSIZE (0's based), CATTR 0 and KATO in milliseconds. */
    public static Sqe connect(int qid, int sqsize, int kato) {
        return Sqe.fabrics(FCTYPE_CONNECT).u16(CONNECT_OFF_RECFMT, 0).u16(CONNECT_OFF_QID, qid)
                .u16(CONNECT_OFF_SQSIZE, sqsize).u8(CONNECT_OFF_CATTR, 0).u32(CONNECT_OFF_KATO, kato);
    }

    /** The 1024-byte Connect data: HOSTID (0-15), CNTLID (16-17), SUBNQN (256-511), HOSTNQN (512-767). */
    public static byte[] connectData(byte[] hostId, int cntlid, String subnqn, String hostnqn) {
        byte[] d = new byte[CONNECT_DATA_LENGTH];
        System.arraycopy(hostId, 0, d, 0, Math.min(16, hostId.length));
        Le.put16(d, CONNECT_DATA_OFF_CNTLID, cntlid);
        putNqn(d, CONNECT_DATA_OFF_SUBNQN, subnqn);
        putNqn(d, CONNECT_DATA_OFF_HOSTNQN, hostnqn);
        return d;
    }

    private static void putNqn(byte[] d, int off, String nqn) {
        byte[] s = nqn.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(s, 0, d, off, Math.min(s.length, 255));
    }

    /** Property Set: ATTRIB byte 40 (size 0 = 4 bytes, 1 = 8 bytes), OFST 44-47, VALUE 48-55. */
    public static Sqe propertySet(int offset, boolean eightBytes, long value) {
        return Sqe.fabrics(FCTYPE_PROPERTY_SET).u8(40, eightBytes ? 1 : 0).u32(44, offset).u64(48, value);
    }

    /** Property Get: ATTRIB byte 40, OFST 44-47; the value comes back in DW0 (and DW1). */
    public static Sqe propertyGet(int offset, boolean eightBytes) {
        return Sqe.fabrics(FCTYPE_PROPERTY_GET).u8(40, eightBytes ? 1 : 0).u32(44, offset);
    }

    /** Disconnect (NVMe over Fabrics 1.1 figure 24): RECFMT 0 in bytes 40-41. */
    public static Sqe disconnect() {
        return Sqe.fabrics(FCTYPE_DISCONNECT).u16(40, 0);
    }

    /** Identify: CDW10 bits 7:0 CNS, bits 31:16 CNTID. */
    public static Sqe identify(int cns, int nsid) {
        return Sqe.of(OPC_IDENTIFY).nsid(nsid).cdw(10, cns & 0xFF);
    }

    /**
     * Get Log Page: CDW10 LID (7:0) and NUMDL (31:16), CDW11 NUMDU (15:0), CDW12 LPOL, CDW13 LPOU;
     * NUMD is the 0's based number of dwords.
     */
    public static Sqe getLogPage(int lid, int nsid, long offset, int length) {
        int numd = length / 4 - 1;
        return Sqe.of(OPC_GET_LOG_PAGE).nsid(nsid).cdw(10, (lid & 0xFF) | (numd & 0xFFFF) << 16)
                .cdw(11, numd >>> 16).cdw(12, (int) offset).cdw(13, (int) (offset >>> 32));
    }

    /** Get Features: CDW10 FID (7:0) and SEL (10:8). */
    public static Sqe getFeatures(int fid, int sel) {
        return Sqe.of(OPC_GET_FEATURES).cdw(10, (fid & 0xFF) | (sel & 7) << 8);
    }

    /** Read or Write: SLBA in CDW10-11, NLB (0's based) in CDW12 bits 15:0. */
    public static Sqe readWrite(int opcode, int nsid, long slba, int blocks) {
        return Sqe.of(opcode).nsid(nsid).cdw(10, (int) slba).cdw(11, (int) (slba >>> 32))
                .cdw(12, (blocks - 1) & 0xFFFF);
    }

    /** Dataset Management: CDW10 NR (0's based range count), CDW11 bit 2 AD (deallocate). */
    public static Sqe deallocate(int nsid, int ranges) {
        return Sqe.of(OPC_DSM).nsid(nsid).cdw(10, ranges - 1).cdw(11, 1 << 2);
    }

    /** DSM ranges, 16 bytes each: context attributes (0-3), length in LBAs (4-7), SLBA (8-15). */
    public static byte[] dsmRanges(long[][] slbaAndLength) {
        byte[] d = new byte[16 * slbaAndLength.length];
        for (int i = 0; i < slbaAndLength.length; i++) {
            Le.put32(d, 16 * i + 4, (int) slbaAndLength[i][1]);
            Le.put64(d, 16 * i + 8, slbaAndLength[i][0]);
        }
        return d;
    }
}
