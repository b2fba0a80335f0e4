package io.nvmfoffload.nvme.spec;

import java.lang.foreign.MemorySegment;

/**
 * The controller register block of a PCIe NVMe controller (BAR0; NVMe Base 2.0 section 3.1.3),
 * as a view over memory. Host and device share the segment: every access is ordered (acquire
 * reads, release writes), because the other side polls these words, exactly as MMIO behaves.
 *
 * <p>Doorbells: SQ y tail at {@code 1000h + (2y) * (4 << DSTRD)}, CQ y head at
 * {@code 1000h + (2y + 1) * (4 << DSTRD)}.
 */
public final class ControllerRegisters {
    public static final int CAP = 0x00;
    public static final int VS = 0x08;
    public static final int INTMS = 0x0C;
    public static final int INTMC = 0x10;
    public static final int CC = 0x14;
    public static final int CSTS = 0x1C;
    public static final int NSSR = 0x20;
    public static final int AQA = 0x24;
    public static final int ASQ = 0x28;
    public static final int ACQ = 0x30;
    public static final int DOORBELL_BASE = 0x1000;

    // CC fields
    public static final int CC_EN = 1;
    public static final int CC_CSS_SHIFT = 4;
    public static final int CC_MPS_SHIFT = 7;
    public static final int CC_AMS_SHIFT = 11;
    public static final int CC_SHN_SHIFT = 14;
    public static final int CC_SHN_MASK = 0x3 << CC_SHN_SHIFT;
    public static final int CC_SHN_NONE = 0;
    public static final int CC_SHN_NORMAL = 1;
    public static final int CC_SHN_ABRUPT = 2;
    public static final int CC_IOSQES_SHIFT = 16;
    public static final int CC_IOCQES_SHIFT = 20;

    // CSTS fields
    public static final int CSTS_RDY = 1;
    public static final int CSTS_CFS = 1 << 1;
    public static final int CSTS_SHST_SHIFT = 2;
    public static final int CSTS_SHST_MASK = 0x3 << CSTS_SHST_SHIFT;
    public static final int CSTS_SHST_NORMAL = 0;
    public static final int CSTS_SHST_OCCURRING = 1;
    public static final int CSTS_SHST_COMPLETE = 2;
    public static final int CSTS_NSSRO = 1 << 4;
    public static final int CSTS_PP = 1 << 5;

    /** CAP.CSS bit 0 (CAP bit 37): the NVM command set. */
    public static final long CAP_CSS_NVM = 1L << 37;

    private final MemorySegment bar;

    public ControllerRegisters(MemorySegment bar) {
        if (bar.byteSize() < DOORBELL_BASE + 8) {
            throw new IllegalArgumentException("register block of " + bar.byteSize() + " bytes cannot hold the admin doorbells at "
                    + Integer.toHexString(DOORBELL_BASE) + "h");
        }
        if ((bar.address() & 0x7) != 0) {
            throw new IllegalArgumentException(String.format("register block at %X is not 8-byte aligned", bar.address()));
        }
        this.bar = bar;
    }

    public MemorySegment segment() {
        return bar;
    }

    // --- CAP ---

    public static long cap(int mqes0Based, boolean contiguousQueuesRequired, int timeout500ms, int dstrd,
                           int mpsMin, int mpsMax) {
        return (mqes0Based & 0xFFFFL)
                | (contiguousQueuesRequired ? 1L << 16 : 0)
                | (timeout500ms & 0xFFL) << 24
                | (dstrd & 0xFL) << 32
                | CAP_CSS_NVM
                | (mpsMin & 0xFL) << 48
                | (mpsMax & 0xFL) << 52;
    }

    /** Maximum Queue Entries Supported, as the 1-based entry count. */
    public static int capMqes(long cap) { return (int) (cap & 0xFFFF) + 1; }
    public static boolean capCqr(long cap) { return (cap & 1L << 16) != 0; }
    /** Timeout in 500 ms units: how long a host waits for CSTS.RDY to follow CC.EN. */
    public static int capTimeout(long cap) { return (int) (cap >>> 24 & 0xFF); }
    public static int capDstrd(long cap) { return (int) (cap >>> 32 & 0xF); }
    public static int capCss(long cap) { return (int) (cap >>> 37 & 0xFF); }
    public static int capMpsMin(long cap) { return (int) (cap >>> 48 & 0xF); }
    public static int capMpsMax(long cap) { return (int) (cap >>> 52 & 0xF); }

    // --- CC ---

    public static int ccEnable(int mps, int iosqes, int iocqes) {
        return CC_EN | (mps & 0xF) << CC_MPS_SHIFT | (iosqes & 0xF) << CC_IOSQES_SHIFT | (iocqes & 0xF) << CC_IOCQES_SHIFT;
    }

    public static boolean ccEn(int cc) { return (cc & CC_EN) != 0; }
    public static int ccCss(int cc) { return cc >>> CC_CSS_SHIFT & 0x7; }
    /** Memory Page Size: 2^(12 + MPS) bytes. */
    public static int ccMps(int cc) { return cc >>> CC_MPS_SHIFT & 0xF; }
    public static int ccShn(int cc) { return cc >>> CC_SHN_SHIFT & 0x3; }
    public static int ccIosqes(int cc) { return cc >>> CC_IOSQES_SHIFT & 0xF; }
    public static int ccIocqes(int cc) { return cc >>> CC_IOCQES_SHIFT & 0xF; }

    // --- CSTS ---

    public static boolean cstsRdy(int csts) { return (csts & CSTS_RDY) != 0; }
    public static boolean cstsCfs(int csts) { return (csts & CSTS_CFS) != 0; }
    public static int cstsShst(int csts) { return (csts & CSTS_SHST_MASK) >>> CSTS_SHST_SHIFT; }

    // --- AQA ---

    /** AQA from 1-based admin queue sizes (the register holds them 0-based). */
    public static int aqa(int asqEntries, int acqEntries) {
        return (asqEntries - 1 & 0xFFF) | (acqEntries - 1 & 0xFFF) << 16;
    }

    public static int aqaAsqEntries(int aqa) { return (aqa & 0xFFF) + 1; }
    public static int aqaAcqEntries(int aqa) { return (aqa >>> 16 & 0xFFF) + 1; }

    /** VS encoding: major in bits 31:16, minor 15:8, tertiary 7:0. */
    public static int version(int major, int minor, int tertiary) {
        return major << 16 | minor << 8 | tertiary;
    }

    // --- ordered register access ---

    public long cap() { return Ordered.getLongAcquire(bar, CAP); }
    public int vs() { return Ordered.getIntAcquire(bar, VS); }
    public int cc() { return Ordered.getIntAcquire(bar, CC); }
    public void cc(int v) { Ordered.setIntVolatile(bar, CC, v); }
    public int csts() { return Ordered.getIntAcquire(bar, CSTS); }
    public int aqa() { return Ordered.getIntAcquire(bar, AQA); }
    public void aqa(int v) { Ordered.setIntRelease(bar, AQA, v); }
    public long asq() { return Ordered.getLongAcquire(bar, ASQ); }
    public void asq(long v) { Ordered.setLongRelease(bar, ASQ, v); }
    public long acq() { return Ordered.getLongAcquire(bar, ACQ); }
    public void acq(long v) { Ordered.setLongRelease(bar, ACQ, v); }

    /** Device-side writes of read-only registers. */
    public void deviceSetCap(long v) { Ordered.setLongRelease(bar, CAP, v); }
    public void deviceSetVs(int v) { Ordered.setIntRelease(bar, VS, v); }
    public void deviceSetCsts(int v) { Ordered.setIntVolatile(bar, CSTS, v); }
    /** Atomically clears then sets CSTS bits, so a fault raised from another thread is never lost. */
    public int deviceUpdateCsts(int clear, int set) { return Ordered.updateInt(bar, CSTS, clear, set); }

    public static long sqTailDoorbell(int qid, int dstrd) {
        return DOORBELL_BASE + (2L * qid) * (4L << dstrd);
    }

    public static long cqHeadDoorbell(int qid, int dstrd) {
        return DOORBELL_BASE + (2L * qid + 1) * (4L << dstrd);
    }

    /** The highest queue ID whose doorbells fit in this register block. */
    public int maxQueueIdForSize(int dstrd) {
        return (int) ((bar.byteSize() - DOORBELL_BASE) / (2L * (4L << dstrd))) - 1;
    }

    /** Rings SQ {@code qid}'s tail doorbell: a release store, as a NIC's posted MMIO write. */
    public void ringSqTail(int qid, int dstrd, int tail) {
        Ordered.setIntRelease(bar, sqTailDoorbell(qid, dstrd), tail);
    }

    public void ringCqHead(int qid, int dstrd, int head) {
        Ordered.setIntRelease(bar, cqHeadDoorbell(qid, dstrd), head);
    }

    public int sqTail(int qid, int dstrd) {
        return Ordered.getIntAcquire(bar, sqTailDoorbell(qid, dstrd));
    }

    public int cqHead(int qid, int dstrd) {
        return Ordered.getIntAcquire(bar, cqHeadDoorbell(qid, dstrd));
    }
}
