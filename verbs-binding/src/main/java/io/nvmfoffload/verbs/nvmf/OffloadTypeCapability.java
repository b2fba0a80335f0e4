package io.nvmfoffload.verbs.nvmf;

import java.util.EnumSet;
import java.util.Set;

/**
 * One bit of the device's offload-type capability bitmap ({@code offload_type} in the NVMf caps):
 * which combination of I/O the device can offload. Not to be confused with the ops mask an SRQ
 * requests ({@link OffloadOp}: WRITE=1, READ=2, FLUSH=4) nor with the firmware's enumerated value
 * ({@link #firmwareValue()}, 1..4): the three encodings differ.
 */
public enum OffloadTypeCapability {
    WRITE(1, 1),
    READ(2, 2),
    READ_WRITE(4, 3),
    READ_WRITE_FLUSH(8, 4);

    private final int bit;
    private final int firmwareValue;

    OffloadTypeCapability(int bit, int firmwareValue) {
        this.bit = bit;
        this.firmwareValue = firmwareValue;
    }

    /** This capability's bit in the capability bitmap. */
    public int bit() {
        return bit;
    }

    /** The firmware's enumerated offload type (1 write, 2 read, 3 read+write, 4 read+write+flush). */
    public int firmwareValue() {
        return firmwareValue;
    }

    public static int toBitmap(Set<OffloadTypeCapability> capabilities) {
        int bitmap = 0;
        for (OffloadTypeCapability c : capabilities) {
            bitmap |= c.bit;
        }
        return bitmap;
    }

    /** The capabilities in a bitmap; bits beyond the four known ones are rejected, not dropped. */
    public static Set<OffloadTypeCapability> fromBitmap(int bitmap) {
        EnumSet<OffloadTypeCapability> set = EnumSet.noneOf(OffloadTypeCapability.class);
        int known = 0;
        for (OffloadTypeCapability c : values()) {
            known |= c.bit;
            if ((bitmap & c.bit) != 0) {
                set.add(c);
            }
        }
        if ((bitmap & ~known) != 0) {
            throw new IllegalArgumentException("unknown offload type capability bits 0x" + Integer.toHexString(bitmap & ~known)
                    + " in bitmap 0x" + Integer.toHexString(bitmap));
        }
        return set;
    }

    /** The capability an SRQ needs for a set of requested ops; empty set or FLUSH alone have none. */
    public static OffloadTypeCapability requiredFor(Set<OffloadOp> ops) {
        boolean read = ops.contains(OffloadOp.READ);
        boolean write = ops.contains(OffloadOp.WRITE);
        boolean flush = ops.contains(OffloadOp.FLUSH);
        if (flush) {
            return read && write ? READ_WRITE_FLUSH : null;
        }
        if (read && write) {
            return READ_WRITE;
        }
        return read ? READ : write ? WRITE : null;
    }
}
