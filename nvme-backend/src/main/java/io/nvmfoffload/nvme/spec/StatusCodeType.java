package io.nvmfoffload.nvme.spec;

/** Status Code Type (SCT), bits 11:9 of the completion's status field. */
public enum StatusCodeType {
    GENERIC(0x0, "Generic Command Status"),
    COMMAND_SPECIFIC(0x1, "Command Specific Status"),
    MEDIA_AND_DATA_INTEGRITY(0x2, "Media and Data Integrity Errors"),
    PATH_RELATED(0x3, "Path Related Status"),
    VENDOR_SPECIFIC(0x7, "Vendor Specific");

    private final int value;
    private final String description;

    StatusCodeType(int value, String description) {
        this.value = value;
        this.description = description;
    }

    public int value() {
        return value;
    }

    public String description() {
        return description;
    }

    public static StatusCodeType of(int sct) {
        for (StatusCodeType t : values()) {
            if (t.value == sct) {
                return t;
            }
        }
        throw new IllegalArgumentException("status code type " + sct + " is reserved (defined: 0-3, 7)");
    }
}
