package io.nvmfoffload.nvme.spec;

/**
 * The 15-bit Status Field of a completion (CQE dword 3 bits 31:17) and the 16-bit word that also
 * holds the Phase Tag (bit 16 of dword 3, bit 0 of the word).
 *
 * <p>Status values in this API are the 15-bit field as the Linux kernel keeps it: SC in bits 7:0,
 * SCT in 10:8, CRD in 12:11, More in 13, DNR in 14. Shifting left by one and or-ing the phase
 * gives the word stored at CQE offset 14.
 */
public final class StatusField {
    public static final int SC_MASK = 0xFF;
    public static final int SCT_SHIFT = 8;
    public static final int SCT_MASK = 0x7 << SCT_SHIFT;
    public static final int CRD_SHIFT = 11;
    public static final int CRD_MASK = 0x3 << CRD_SHIFT;
    public static final int MORE = 1 << 13;
    public static final int DNR = 1 << 14;

    private StatusField() {
    }

    public static int encode(int sct, int sc, boolean more, boolean dnr) {
        if ((sct & ~0x7) != 0 || (sc & ~0xFF) != 0) {
            throw new IllegalArgumentException("SCT " + sct + " / SC " + sc + " out of range (SCT 3 bits, SC 8 bits)");
        }
        return sc | sct << SCT_SHIFT | (more ? MORE : 0) | (dnr ? DNR : 0);
    }

    public static int sc(int status) {
        return status & SC_MASK;
    }

    public static int sct(int status) {
        return (status & SCT_MASK) >>> SCT_SHIFT;
    }

    /** SCT and SC together, the key that names a status. */
    public static int code(int status) {
        return status & (SCT_MASK | SC_MASK);
    }

    public static int crd(int status) {
        return (status & CRD_MASK) >>> CRD_SHIFT;
    }

    public static boolean more(int status) {
        return (status & MORE) != 0;
    }

    public static boolean dnr(int status) {
        return (status & DNR) != 0;
    }

    public static boolean isSuccess(int status) {
        return code(status) == 0;
    }

    /** The 16-bit word at CQE offset 14: status in bits 15:1, phase in bit 0. */
    public static int toWord(int status, boolean phase) {
        return (status & 0x7FFF) << 1 | (phase ? 1 : 0);
    }

    public static int fromWord(int word) {
        return (word & 0xFFFF) >>> 1;
    }

    public static boolean phaseOf(int word) {
        return (word & 1) != 0;
    }

    /** Human-readable form for logs and error messages, e.g. "SCT 1h SC 01h Invalid Queue Identifier, DNR". */
    public static String describe(int status) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("SCT %Xh SC %02Xh ", sct(status), sc(status)));
        NvmeStatus named = NvmeStatus.lookup(code(status));
        b.append(named == null ? "(no name)" : named.description());
        if (more(status)) {
            b.append(", More");
        }
        if (dnr(status)) {
            b.append(", DNR");
        }
        if (crd(status) != 0) {
            b.append(", CRD=").append(crd(status));
        }
        return b.toString();
    }
}
