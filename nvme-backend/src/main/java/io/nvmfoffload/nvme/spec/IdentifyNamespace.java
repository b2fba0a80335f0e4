package io.nvmfoffload.nvme.spec;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Identify Namespace data structure for the NVM command set, CNS 00h, 4096 bytes (NVM Command
 * Set 1.0 figure 97).
 */
public final class IdentifyNamespace {
    public static final int SIZE = 4096;

    public static final int NSZE = 0;
    public static final int NCAP = 8;
    public static final int NUSE = 16;
    public static final int NSFEAT = 24;
    public static final int NLBAF = 25;
    public static final int FLBAS = 26;
    public static final int MC = 27;
    public static final int DPC = 28;
    public static final int DPS = 29;
    public static final int NMIC = 30;
    public static final int RESCAP = 31;
    public static final int FPI = 32;
    public static final int DLFEAT = 33;
    public static final int NAWUN = 34;
    public static final int NAWUPF = 36;
    public static final int NACWU = 38;
    public static final int NOIOB = 46;
    public static final int NVMCAP = 48;
    public static final int NPWG = 64;
    public static final int NPWA = 66;
    public static final int NPDG = 68;
    public static final int NPDA = 70;
    public static final int NOWS = 72;
    public static final int ANAGRPID = 92;
    public static final int NSATTR = 99;
    public static final int NVMSETID = 100;
    public static final int ENDGID = 102;
    public static final int NGUID = 104;
    public static final int EUI64 = 120;
    public static final int LBAF = 128;
    public static final int LBAF_COUNT = 64;

    /** NSFEAT bit 0: thin provisioning (NCAP may be less than NSZE). */
    public static final int NSFEAT_THIN_PROVISIONING = 1;
    /** NSFEAT bit 2: reads of deallocated blocks may fail with Deallocated or Unwritten Logical Block. */
    public static final int NSFEAT_DAE = 1 << 2;
    /** NSFEAT bit 4: NPWG/NPWA/NPDG/NPDA/NOWS are valid. */
    public static final int NSFEAT_OPTPERF = 1 << 4;

    /** DLFEAT bits 2:0 = 001b: a read of a deallocated block returns all zeros. */
    public static final int DLFEAT_READ_ZEROES = 0x1;
    /** DLFEAT bits 2:0 = 010b: a read of a deallocated block returns all ones. */
    public static final int DLFEAT_READ_ONES = 0x2;
    /** DLFEAT bit 3: Write Zeroes supports the Deallocate bit. */
    public static final int DLFEAT_WRITE_ZEROES_DEALLOCATE = 1 << 3;
    /** DLFEAT bit 4: the guard of deallocated blocks is the CRC of their data. */
    public static final int DLFEAT_GUARD_CRC = 1 << 4;

    private MemorySegment seg;
    private long base;

    public IdentifyNamespace() {
    }

    public IdentifyNamespace(MemorySegment seg) {
        wrap(seg, 0);
    }

    public IdentifyNamespace wrap(MemorySegment seg, long offset) {
        Objects.checkFromIndexSize(offset, SIZE, seg.byteSize());
        this.seg = seg;
        this.base = offset;
        return this;
    }

    public IdentifyNamespace clear() {
        seg.asSlice(base, SIZE).fill((byte) 0);
        return this;
    }

    /** Namespace Size in logical blocks. */
    public long nsze() { return Le.u64(seg, base + NSZE); }
    public IdentifyNamespace nsze(long v) { Le.putU64(seg, base + NSZE, v); return this; }
    /** Namespace Capacity in logical blocks. */
    public long ncap() { return Le.u64(seg, base + NCAP); }
    public IdentifyNamespace ncap(long v) { Le.putU64(seg, base + NCAP, v); return this; }
    /** Namespace Utilization in logical blocks. */
    public long nuse() { return Le.u64(seg, base + NUSE); }
    public IdentifyNamespace nuse(long v) { Le.putU64(seg, base + NUSE, v); return this; }

    public int nsfeat() { return Le.u8(seg, base + NSFEAT); }
    public IdentifyNamespace nsfeat(int v) { Le.putU8(seg, base + NSFEAT, v); return this; }
    /** Number of LBA Formats, 0-based. */
    public int nlbaf() { return Le.u8(seg, base + NLBAF); }
    public IdentifyNamespace nlbaf(int v) { Le.putU8(seg, base + NLBAF, v); return this; }
    /** Formatted LBA Size: bits 3:0 (and 6:5 as the upper bits) index the LBA format in use. */
    public int flbas() { return Le.u8(seg, base + FLBAS); }
    public IdentifyNamespace flbas(int v) { Le.putU8(seg, base + FLBAS, v); return this; }
    public int mc() { return Le.u8(seg, base + MC); }
    public int dpc() { return Le.u8(seg, base + DPC); }
    public int dps() { return Le.u8(seg, base + DPS); }
    public int nmic() { return Le.u8(seg, base + NMIC); }
    public IdentifyNamespace nmic(int v) { Le.putU8(seg, base + NMIC, v); return this; }
    public int rescap() { return Le.u8(seg, base + RESCAP); }
    public int dlfeat() { return Le.u8(seg, base + DLFEAT); }
    public IdentifyNamespace dlfeat(int v) { Le.putU8(seg, base + DLFEAT, v); return this; }
    public int noiob() { return Le.u16(seg, base + NOIOB); }
    public IdentifyNamespace noiob(int v) { Le.putU16(seg, base + NOIOB, v); return this; }
    /** NVM Capacity in bytes (low 64 bits of the 128-bit field). */
    public long nvmcap() { return Le.u64(seg, base + NVMCAP); }
    public IdentifyNamespace nvmcap(long v) { Le.putU128(seg, base + NVMCAP, v); return this; }
    public int npwg() { return Le.u16(seg, base + NPWG); }
    public IdentifyNamespace npwg(int v) { Le.putU16(seg, base + NPWG, v); return this; }
    public int npwa() { return Le.u16(seg, base + NPWA); }
    public IdentifyNamespace npwa(int v) { Le.putU16(seg, base + NPWA, v); return this; }
    public int npdg() { return Le.u16(seg, base + NPDG); }
    public IdentifyNamespace npdg(int v) { Le.putU16(seg, base + NPDG, v); return this; }
    public int npda() { return Le.u16(seg, base + NPDA); }
    public IdentifyNamespace npda(int v) { Le.putU16(seg, base + NPDA, v); return this; }
    public int anagrpid() { return Le.u32(seg, base + ANAGRPID); }
    public IdentifyNamespace anagrpid(int v) { Le.putU32(seg, base + ANAGRPID, v); return this; }
    /** Namespace Attributes: bit 0 write protected. */
    public int nsattr() { return Le.u8(seg, base + NSATTR); }
    public IdentifyNamespace nsattr(int v) { Le.putU8(seg, base + NSATTR, v); return this; }

    public byte[] nguid() { return Le.bytes(seg, base + NGUID, 16); }
    public IdentifyNamespace nguid(byte[] v) { Le.putBytes(seg, base + NGUID, v, 16); return this; }
    public byte[] eui64() { return Le.bytes(seg, base + EUI64, 8); }
    public IdentifyNamespace eui64(byte[] v) { Le.putBytes(seg, base + EUI64, v, 8); return this; }

    /** Metadata Size of LBA format {@code i}. */
    public int lbafMetadataSize(int i) { return Le.u16(seg, base + lbaf(i)); }
    /** LBA Data Size of format {@code i} as a power of two (9 = 512 bytes, 12 = 4096). */
    public int lbafDataSizeShift(int i) { return Le.u8(seg, base + lbaf(i) + 2); }
    /** Relative Performance of format {@code i} (bits 1:0, 0 = best). */
    public int lbafRelativePerformance(int i) { return Le.u8(seg, base + lbaf(i) + 3) & 0x3; }

    public IdentifyNamespace lbaf(int i, int metadataSize, int dataSizeShift, int relativePerformance) {
        if (dataSizeShift != 0 && dataSizeShift < 9) {
            throw new IllegalArgumentException("LBADS " + dataSizeShift + " is below 9 (512 bytes), the smallest the spec allows");
        }
        long off = base + lbaf(i);
        Le.putU16(seg, off, metadataSize);
        Le.putU8(seg, off + 2, dataSizeShift);
        Le.putU8(seg, off + 3, relativePerformance & 0x3);
        return this;
    }

    /** The LBA format index FLBAS selects (bits 3:0 plus bits 6:5 as bits 5:4). */
    public int formatIndex() {
        int flbas = flbas();
        return flbas & 0xF | (flbas & 0x60) >>> 1;
    }

    /** Block size in bytes of the format in use. */
    public int blockSize() {
        return 1 << lbafDataSizeShift(formatIndex());
    }

    private static int lbaf(int i) {
        Objects.checkIndex(i, LBAF_COUNT);
        return LBAF + 4 * i;
    }
}
