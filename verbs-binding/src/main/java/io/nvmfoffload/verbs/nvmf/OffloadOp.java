package io.nvmfoffload.verbs.nvmf;

import java.util.EnumSet;
import java.util.Set;

/**
 * One bit of the ops mask an offload SRQ requests: WRITE=1, READ=2, FLUSH=4 (so read+write is 3,
 * all is 7). A different encoding from the capability bitmap ({@link OffloadTypeCapability}).
 */
public enum OffloadOp {
    WRITE(1),
    READ(2),
    FLUSH(4);

    private final int bit;

    OffloadOp(int bit) {
        this.bit = bit;
    }

    public int bit() {
        return bit;
    }

    public static int toMask(Set<OffloadOp> ops) {
        int mask = 0;
        for (OffloadOp op : ops) {
            mask |= op.bit;
        }
        return mask;
    }

    public static Set<OffloadOp> fromMask(int mask) {
        if ((mask & ~7) != 0) {
            throw new IllegalArgumentException("unknown offload op bits 0x" + Integer.toHexString(mask & ~7) + " in mask 0x"
                    + Integer.toHexString(mask));
        }
        EnumSet<OffloadOp> set = EnumSet.noneOf(OffloadOp.class);
        for (OffloadOp op : values()) {
            if ((mask & op.bit) != 0) {
                set.add(op);
            }
        }
        return set;
    }
}
