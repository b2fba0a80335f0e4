package io.nvmfoffload.verbs;

/** Formatting of 64-bit GUIDs the way ibv_devinfo prints them. */
public final class Guid {
    private Guid() {}

    /**
     * Converts a {@code __be64} read from C on a little-endian machine into the GUID's numeric value.
     */
    public static long fromBigEndian(long be64) {
        return Long.reverseBytes(be64);
    }

    /** "e874:f9ff:fed4:0c4e". */
    public static String format(long guid) {
        String hex = String.format("%016x", guid);
        return hex.substring(0, 4) + ":" + hex.substring(4, 8) + ":" + hex.substring(8, 12) + ":" + hex.substring(12);
    }
}
