package io.nvmfoffload.ctl.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Byte sizes as the document accepts them: an integer of bytes, or a string such as "256MiB". */
final class DocumentSizes {
    /** The form the schema's $defs/size pattern accepts. */
    private static final Pattern FORM = Pattern.compile("\\s*([0-9]+)\\s*(B|KiB|MiB|GiB|TiB)?\\s*");

    private DocumentSizes() {}

    /** The byte count, or -1 when {@code text} is not a size or more than a long holds (the caller reports it). */
    static long parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            return -1;
        }
        int shift = switch (m.group(2) == null ? "B" : m.group(2)) {
            case "KiB" -> 10;
            case "MiB" -> 20;
            case "GiB" -> 30;
            case "TiB" -> 40;
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
