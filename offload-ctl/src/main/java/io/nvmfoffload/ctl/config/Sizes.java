package io.nvmfoffload.ctl.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Byte sizes as the document accepts them: an integer of bytes, or a string such as "256MiB". */
final class Sizes {
    private static final Pattern FORM = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB|TiB)?");
    static final String EXPECTED = "a byte count: an integer, or a string such as \"512KiB\", \"256MiB\", \"1GiB\" (B, KiB, MiB, GiB, TiB)";

    private Sizes() {}

    /** The byte count, or -1 when {@code text} is not a size (the caller reports it with its pointer). */
    static long parse(String text) {
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            return -1;
        }
        int shift = switch (m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT)) {
            case "KIB" -> 10;
            case "MIB" -> 20;
            case "GIB" -> 30;
            case "TIB" -> 40;
            default -> 0;
        };
        try {
            long n = Long.parseLong(m.group(1));
            if (n > Long.MAX_VALUE >> shift) {
                return -1;
            }
            return n << shift;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
