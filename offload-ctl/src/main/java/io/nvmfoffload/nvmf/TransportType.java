package io.nvmfoffload.nvmf;

import java.util.Locale;

/** NVMe-oF transport types with their discovery-log TRTYPE codes. */
public enum TransportType {
    RDMA(1), TCP(3);

    private final int trtype;

    TransportType(int trtype) {
        this.trtype = trtype;
    }

    public int trtype() {
        return trtype;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TransportType parse(String text) {
        for (TransportType t : values()) {
            if (t.id().equalsIgnoreCase(text)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown transport '" + text + "': expected rdma or tcp");
    }
}
