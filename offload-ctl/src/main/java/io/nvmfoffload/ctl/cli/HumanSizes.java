package io.nvmfoffload.ctl.cli;

/** Byte counts for people: 268435456 is "256 MiB". */
final class HumanSizes {
    private HumanSizes() {}

    static String human(long bytes) {
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        long v = bytes;
        while (u < units.length - 1 && v >= 1024 && v % 1024 == 0) {
            v /= 1024;
            u++;
        }
        return v + " " + units[u];
    }
}
