package io.nvmfoffload.nvme.spec;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Identify Controller data structure, CNS 01h, 4096 bytes (NVMe Base 2.0 figure 275; the Fabrics
 * fields from byte 1792 are NVMe-oF 1.1 figure 28). A view over caller memory: a PCIe controller
 * fills it for its own queues, a Fabrics target sets IOCCSZ/IORCSZ/ICDOFF/SGLS/SUBNQN itself.
 */
public final class IdentifyController {
    public static final int SIZE = 4096;

    public static final int VID = 0;
    public static final int SSVID = 2;
    public static final int SN = 4;
    public static final int SN_LEN = 20;
    public static final int MN = 24;
    public static final int MN_LEN = 40;
    public static final int FR = 64;
    public static final int FR_LEN = 8;
    public static final int RAB = 72;
    public static final int IEEE = 73;
    public static final int CMIC = 76;
    public static final int MDTS = 77;
    public static final int CNTLID = 78;
    public static final int VER = 80;
    public static final int RTD3R = 84;
    public static final int RTD3E = 88;
    public static final int OAES = 92;
    public static final int CTRATT = 96;
    public static final int CNTRLTYPE = 111;
    public static final int FGUID = 112;
    public static final int OACS = 256;
    public static final int ACL = 258;
    public static final int AERL = 259;
    public static final int FRMW = 260;
    public static final int LPA = 261;
    public static final int ELPE = 262;
    public static final int NPSS = 263;
    public static final int KAS = 320;
    public static final int SQES = 512;
    public static final int CQES = 513;
    public static final int MAXCMD = 514;
    public static final int NN = 516;
    public static final int ONCS = 520;
    public static final int FUSES = 522;
    public static final int FNA = 524;
    public static final int VWC = 525;
    public static final int AWUN = 526;
    public static final int AWUPF = 528;
    public static final int SGLS = 536;
    public static final int MNAN = 540;
    public static final int SUBNQN = 768;
    public static final int SUBNQN_LEN = 256;
    public static final int IOCCSZ = 1792;
    public static final int IORCSZ = 1796;
    public static final int ICDOFF = 1800;
    public static final int FCATT = 1802;
    public static final int MSDBD = 1803;
    public static final int OFCS = 1804;
    public static final int PSD0 = 2048;

    // CMIC bits
    public static final int CMIC_MULTI_PORT = 1;
    public static final int CMIC_MULTI_CONTROLLER = 1 << 1;
    public static final int CMIC_ANA = 1 << 3;
    // OAES bits
    public static final int OAES_NAMESPACE_ATTRIBUTE_NOTICES = 1 << 8;
    public static final int OAES_DISCOVERY_LOG_CHANGE_NOTICES = 1 << 31;
    // ONCS bits
    public static final int ONCS_COMPARE = 1;
    public static final int ONCS_WRITE_UNCORRECTABLE = 1 << 1;
    public static final int ONCS_DATASET_MANAGEMENT = 1 << 2;
    public static final int ONCS_WRITE_ZEROES = 1 << 3;
    // VWC bits
    public static final int VWC_PRESENT = 1;
    /** VWC bits 2:1 = 11b: Flush with NSID FFFFFFFFh is supported. */
    public static final int VWC_FLUSH_ALL_SUPPORTED = 0x3 << 1;
    // LPA bits
    public static final int LPA_SMART_PER_NAMESPACE = 1;
    public static final int LPA_COMMANDS_EFFECTS = 1 << 1;
    public static final int LPA_EXTENDED_DATA = 1 << 2;
    // SGLS bits
    public static final int SGLS_SUPPORTED_NO_ALIGNMENT = 0x1;
    public static final int SGLS_SUPPORTED_DWORD_ALIGNED = 0x2;
    public static final int SGLS_KEYED_DATA_BLOCK = 1 << 2;
    public static final int SGLS_BIT_BUCKET = 1 << 16;
    public static final int SGLS_OFFSET = 1 << 20;
    public static final int SGLS_TRANSPORT_DATA_BLOCK = 1 << 21;
    // Controller types
    public static final int CNTRLTYPE_IO = 1;
    public static final int CNTRLTYPE_DISCOVERY = 2;
    public static final int CNTRLTYPE_ADMIN = 3;
    // FCATT bit 0: 0 = dynamic controller model, 1 = static
    public static final int FCATT_STATIC_CONTROLLER_MODEL = 1;

    private MemorySegment seg;
    private long base;

    public IdentifyController() {
    }

    public IdentifyController(MemorySegment seg) {
        wrap(seg, 0);
    }

    public IdentifyController wrap(MemorySegment seg, long offset) {
        Objects.checkFromIndexSize(offset, SIZE, seg.byteSize());
        this.seg = seg;
        this.base = offset;
        return this;
    }

    public IdentifyController clear() {
        seg.asSlice(base, SIZE).fill((byte) 0);
        return this;
    }

    public MemorySegment segment() {
        return seg.asSlice(base, SIZE);
    }

    private int u8(int off) {
        return Le.u8(seg, base + off);
    }

    private int u16(int off) {
        return Le.u16(seg, base + off);
    }

    private int u32(int off) {
        return Le.u32(seg, base + off);
    }

    private IdentifyController p8(int off, int v) {
        Le.putU8(seg, base + off, v);
        return this;
    }

    private IdentifyController p16(int off, int v) {
        Le.putU16(seg, base + off, v);
        return this;
    }

    private IdentifyController p32(int off, int v) {
        Le.putU32(seg, base + off, v);
        return this;
    }

    public int vid() { return u16(VID); }
    public IdentifyController vid(int v) { return p16(VID, v); }
    public int ssvid() { return u16(SSVID); }
    public IdentifyController ssvid(int v) { return p16(SSVID, v); }

    public String serialNumber() { return Le.string(seg, base + SN, SN_LEN); }
    public IdentifyController serialNumber(String v) { Le.putAsciiSpacePadded(seg, base + SN, SN_LEN, v); return this; }
    public String modelNumber() { return Le.string(seg, base + MN, MN_LEN); }
    public IdentifyController modelNumber(String v) { Le.putAsciiSpacePadded(seg, base + MN, MN_LEN, v); return this; }
    public String firmwareRevision() { return Le.string(seg, base + FR, FR_LEN); }
    public IdentifyController firmwareRevision(String v) { Le.putAsciiSpacePadded(seg, base + FR, FR_LEN, v); return this; }

    /** Recommended Arbitration Burst (2^n commands). */
    public int rab() { return u8(RAB); }
    public IdentifyController rab(int v) { return p8(RAB, v); }

    /** IEEE OUI, 24 bits, stored least significant byte first. */
    public int ieeeOui() { return Le.u24(seg, base + IEEE); }
    public IdentifyController ieeeOui(int oui) { Le.putU24(seg, base + IEEE, oui); return this; }

    public int cmic() { return u8(CMIC); }
    public IdentifyController cmic(int v) { return p8(CMIC, v); }

    /** Maximum Data Transfer Size as a power of two in units of CAP.MPSMIN pages; 0 = no limit. */
    public int mdts() { return u8(MDTS); }
    public IdentifyController mdts(int v) { return p8(MDTS, v); }

    public int cntlid() { return u16(CNTLID); }
    public IdentifyController cntlid(int v) { return p16(CNTLID, v); }

    /** Version, encoded as in the VS register (major &lt;&lt; 16 | minor &lt;&lt; 8 | tertiary). */
    public int ver() { return u32(VER); }
    public IdentifyController ver(int v) { return p32(VER, v); }

    public int rtd3r() { return u32(RTD3R); }
    public IdentifyController rtd3r(int v) { return p32(RTD3R, v); }
    public int rtd3e() { return u32(RTD3E); }
    public IdentifyController rtd3e(int v) { return p32(RTD3E, v); }
    public int oaes() { return u32(OAES); }
    public IdentifyController oaes(int v) { return p32(OAES, v); }
    /** Controller Attributes (CTRATT, byte 96). */
    public int ctratt() { return u32(CTRATT); }
    public IdentifyController ctratt(int v) { return p32(CTRATT, v); }
    public int cntrltype() { return u8(CNTRLTYPE); }
    public IdentifyController cntrltype(int v) { return p8(CNTRLTYPE, v); }

    public int oacs() { return u16(OACS); }
    public IdentifyController oacs(int v) { return p16(OACS, v); }
    /** Abort Command Limit, 0-based. */
    public int acl() { return u8(ACL); }
    public IdentifyController acl(int v) { return p8(ACL, v); }
    /** Asynchronous Event Request Limit, 0-based. */
    public int aerl() { return u8(AERL); }
    public IdentifyController aerl(int v) { return p8(AERL, v); }
    /** Firmware Updates: bit 0 slot 1 read-only, bits 3:1 number of slots. */
    public int frmw() { return u8(FRMW); }
    public IdentifyController frmw(int v) { return p8(FRMW, v); }
    public int lpa() { return u8(LPA); }
    public IdentifyController lpa(int v) { return p8(LPA, v); }
    /** Error Log Page Entries, 0-based. */
    public int elpe() { return u8(ELPE); }
    public IdentifyController elpe(int v) { return p8(ELPE, v); }
    /** Number of Power States Support, 0-based. */
    public int npss() { return u8(NPSS); }
    public IdentifyController npss(int v) { return p8(NPSS, v); }
    /** Keep Alive Support: granularity in 100 ms units, 0 = not supported. */
    public int kas() { return u16(KAS); }
    public IdentifyController kas(int v) { return p16(KAS, v); }

    /** SQ entry size: bits 3:0 required, 7:4 maximum, as powers of two. */
    public int sqes() { return u8(SQES); }
    public IdentifyController sqes(int v) { return p8(SQES, v); }
    public int cqes() { return u8(CQES); }
    public IdentifyController cqes(int v) { return p8(CQES, v); }
    /** Maximum Outstanding Commands (Fabrics). */
    public int maxcmd() { return u16(MAXCMD); }
    public IdentifyController maxcmd(int v) { return p16(MAXCMD, v); }
    /** Number of Namespaces: the largest valid NSID. */
    public int nn() { return u32(NN); }
    public IdentifyController nn(int v) { return p32(NN, v); }
    public int oncs() { return u16(ONCS); }
    public IdentifyController oncs(int v) { return p16(ONCS, v); }
    public int fuses() { return u16(FUSES); }
    public IdentifyController fuses(int v) { return p16(FUSES, v); }
    public int fna() { return u8(FNA); }
    public IdentifyController fna(int v) { return p8(FNA, v); }
    public int vwc() { return u8(VWC); }
    public IdentifyController vwc(int v) { return p8(VWC, v); }
    public int awun() { return u16(AWUN); }
    public IdentifyController awun(int v) { return p16(AWUN, v); }
    public int awupf() { return u16(AWUPF); }
    public IdentifyController awupf(int v) { return p16(AWUPF, v); }
    public int sgls() { return u32(SGLS); }
    public IdentifyController sgls(int v) { return p32(SGLS, v); }
    public int mnan() { return u32(MNAN); }
    public IdentifyController mnan(int v) { return p32(MNAN, v); }

    /** NVM Subsystem NVMe Qualified Name, NUL-terminated UTF-8 in 256 bytes. */
    public String subnqn() { return Le.string(seg, base + SUBNQN, SUBNQN_LEN); }

    public IdentifyController subnqn(String nqn) {
        if (nqn.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 223) {
            throw new IllegalArgumentException("SUBNQN '" + nqn + "' is longer than the 223 bytes an NQN may have");
        }
        Le.putNulPadded(seg, base + SUBNQN, SUBNQN_LEN, nqn);
        return this;
    }

    /** I/O Queue Command Capsule Supported Size in 16-byte units (Fabrics; minimum 4 = SQE only). */
    public int ioccsz() { return u32(IOCCSZ); }
    public IdentifyController ioccsz(int v) { return p32(IOCCSZ, v); }
    /** I/O Queue Response Capsule Supported Size in 16-byte units (Fabrics; minimum 1). */
    public int iorcsz() { return u32(IORCSZ); }
    public IdentifyController iorcsz(int v) { return p32(IORCSZ, v); }
    /** In Capsule Data Offset in 16-byte units from the start of the capsule's data area. */
    public int icdoff() { return u16(ICDOFF); }
    public IdentifyController icdoff(int v) { return p16(ICDOFF, v); }
    /** Fabrics Controller Attributes (FCATT; "ctrattr" in Linux). */
    public int fcatt() { return u8(FCATT); }
    public IdentifyController fcatt(int v) { return p8(FCATT, v); }
    /** Maximum SGL Data Block Descriptors per command (Fabrics); 0 = no limit. */
    public int msdbd() { return u8(MSDBD); }
    public IdentifyController msdbd(int v) { return p8(MSDBD, v); }
    /** Optional Fabric Commands Supported (bit 0: Disconnect). */
    public int ofcs() { return u16(OFCS); }
    public IdentifyController ofcs(int v) { return p16(OFCS, v); }

    /** Power State 0 maximum power in centiwatts (a host reads at least one descriptor). */
    public int powerState0MaxPower() { return u16(PSD0); }
    public IdentifyController powerState0MaxPower(int centiwatts) { return p16(PSD0, centiwatts); }
}
