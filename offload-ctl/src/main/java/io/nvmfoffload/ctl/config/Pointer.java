package io.nvmfoffload.ctl.config;

/** RFC 6901 JSON pointers: appending a key escapes '~' and '/' so keys with them stay addressable. */
final class Pointer {
    private Pointer() {}

    static String child(String parent, String key) {
        return parent + "/" + key.replace("~", "~0").replace("/", "~1");
    }

    static String child(String parent, int index) {
        return parent + "/" + index;
    }
}
